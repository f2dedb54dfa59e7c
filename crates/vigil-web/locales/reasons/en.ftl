# Machine-made reasons, worded for the reader: a facility's priority, a
# victim's referral, a screening's evidence, a linkage's field weights.

reasons-separator = { "; " }

## A facility's priority

reason-detail-signal = { $tips ->
    [one] { $tips } tip reports it
   *[other] { $tips } tips report it
}
reason-detail-corroboration = { $independent } independent of { $tips ->
    [one] { $tips } tip
   *[other] { $tips } tips
}
reason-detail-specific_place = { $level ->
    [0] no place
    [1] province
    [2] district
    [3] commune
   *[4] village or coordinates
}
reason-detail-identifiers = { $count ->
    [one] { $count } distinct identifier
   *[other] { $count } distinct identifiers
}
reason-detail-photos = { $count ->
    [one] { $count } photo
   *[other] { $count } photos
}
reason-detail-recency = latest tip { $days ->
    [one] { $days } day ago
   *[other] { $days } days ago
}
reason-detail-earlier_operations = { $count ->
    [one] { $count } earlier operation
   *[other] { $count } earlier operations
}

## A victim's referral

referral-child-aged = a child: { $age } years old
referral-child-appears = a child: appears to be under 18
referral-strong-indicator = strong indicator: { $indicator }
referral-other-indicators = { $count } other indicators
referral-too-few-indicators = no strong indicator and { $count ->
    [one] { $count } other
   *[other] { $count } others
} (two are needed)
referral-imminent-danger = in imminent danger
referral-adult-consented = an adult who consented to referral
referral-adult-not-consented = an adult who has not consented: not referred, offered assistance

## A screening's evidence

screen-fact-no_passport = no valid passport
screen-fact-visa_unclear = visa of an unclear kind
screen-fact-purpose_with_job_offer = says the trip is for { $purpose ->
    [tourism] tourism
    [study] study
    [family] a family visit
    [business] business
   *[other] another purpose
} but has a job offer
screen-fact-work_without_visa = travels for work without a work visa or permit
screen-fact-work_without_contract = travels for work without an employment contract
screen-fact-no_guarantor = no guarantor
screen-fact-guarantor_unverified = guarantor not verified
screen-fact-funds_below_minimum = carries { $cash } USD, minimum { $minimum } USD
screen-fact-no_return_ticket = no return ticket for a { $purpose ->
    [tourism] tourist
    [family] family
    [business] business
   *[other] short
} trip
screen-fact-ticket_paid_by = ticket paid by the { $payer ->
    [employer] employer
   *[recruiter] recruiter
}
screen-fact-ticket_payer_unknown = does not know who paid the ticket
screen-fact-documents_held_by_other = someone else holds the traveller's documents
screen-fact-companion_answers = a companion answers for the traveller
screen-fact-offer_pay = offers { $pay } USD, above the { $limit } USD the policy finds realistic
screen-fact-offer_no_experience = no experience needed (“{ $phrase }”)
screen-fact-offer_travel_paid = travel paid (“{ $phrase }”)
screen-fact-offer_messaging_only = contact only by messaging app ({ $apps })
screen-fact-offer_hotspot = job in { $country }, a known destination of scam compounds
screen-fact-watchlist = { $what ->
    [contact] contact
    [employer] employer
   *[offer_text] offer text
} { $value } is tied to { $labels }
screen-fact-attribute = { $attribute ->
    [sex] sex
    [nationality] nationality
    [ethnicity] ethnicity
   *[religion] religion
} is { $value }
screen-fact-attribute_justified = { $attribute ->
    [sex] sex
    [nationality] nationality
    [ethnicity] ethnicity
   *[religion] religion
} is { $value } (the policy's justification: { $justification })

## A linkage's field weights

match-reason = { $field }: { $level } ({ $toward ->
    [against] −
   *[for] +
}{ $weight })
match-field-given = given name
match-field-family = family name
match-field-dob = date of birth
match-field-sex = sex
match-field-nationality = nationality
match-field-document = document
match-field-phone = phone
match-field-script_name = name in its own script
match-field-number = house number
match-field-street = street
match-field-locality = locality
match-field-area = area
match-field-postcode = postcode
match-field-province = province
match-level-missing = missing
match-level-exact = exact
match-level-equivalent = equivalent
match-level-close = close
match-level-partial = partial
match-level-different = different
