# Planning a raid by names (places and facilities) and the seized items'
# numbers: staff pages, Khmer and English.
opsx-narrow = Show the districts, communes and facilities within
opsx-narrow-hint = Choose the province, or type a place's name, and press "Show the districts, communes and facilities within" to choose the district, then the commune. What you typed stays.
opsx-place-words = The place in words (building, landmark)
opsx-facilities-hint = Tick the facilities the operation is planned against: those of the province chosen, highest priority first.
opsx-no-facilities = No facility is known in this province yet.
opsx-facility-context = { $tips } tips · priority { $priority }
opsx-item-number = Item no.
opsx-place-name = Or type the place's name
opsx-place-name-hint = In Khmer, in English or as it is often spelt.
opsx-place-not-found = No place in your provinces goes by this name: choose it from the lists.
