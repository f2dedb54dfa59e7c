# Cases and persons met: what the case forms offer to choose from, by name.
cases-choose-operation = Raid the case rests on
cases-choose-operation-hint = Choose the raid first: its persons met and seized items are then offered below.
cases-choose-operation-submit = Show its persons and items
cases-no-operation-chosen = No raid chosen yet: choose one above.
cases-planned-from = Planned from:
cases-defendants-choice = Defendants (persons met in the raid)
cases-no-persons-met = No persons were recorded in this raid.
cases-no-items-seized = No items were seized in this raid.
cases-no-candidates = Every person met in the linked raids is already a defendant, or none was recorded; link another raid first.
cases-link-operation = Another raid to link
cases-link-items = Seized items to add as evidence
cases-no-more-items = Every item seized in the linked raids is already evidence.
cases-charge-choice = Charge (defendant · statute · date)
cases-err-person_id = Person: choose a person met in the linked raids (a charge or outcome needs one of this case's defendants).
cases-err-operations = Raids: choose raids you can see.
cases-err-items = Evidence items: choose items seized in raids you can see.
cases-err-charge = Charge: choose one of this case's charges.
