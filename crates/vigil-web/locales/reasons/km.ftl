# មូលហេតុដែលម៉ាស៊ីនបង្កើត សរសេរជាភាសារបស់អ្នកអាន។

reasons-separator = { "; " }

## អាទិភាពនៃទីតាំងសង្ស័យ

reason-detail-signal = ព័ត៌មាន { $tips } បានរាយការណ៍ពីរឿងនេះ
reason-detail-corroboration = ព័ត៌មានឯករាជ្យ { $independent } ក្នុងចំណោម { $tips }
reason-detail-specific_place = { $level ->
    [0] គ្មានទីកន្លែង
    [1] ខេត្ត
    [2] ស្រុក/ខណ្ឌ
    [3] ឃុំ/សង្កាត់
   *[4] ភូមិ ឬកូអរដោនេ
}
reason-detail-identifiers = អត្តសញ្ញាណខុសៗគ្នា { $count }
reason-detail-photos = រូបថត { $count }
reason-detail-recency = ព័ត៌មានចុងក្រោយកាលពី { $days } ថ្ងៃមុន
reason-detail-earlier_operations = ប្រតិបត្តិការមុនៗ { $count }

## ការបញ្ជូនបន្តជនរងគ្រោះ

referral-child-aged = កុមារ៖ អាយុ { $age } ឆ្នាំ
referral-child-appears = កុមារ៖ មើលទៅអាយុក្រោម ១៨ ឆ្នាំ
referral-strong-indicator = សូចនាករខ្លាំង៖ { $indicator }
referral-other-indicators = សូចនាករផ្សេងទៀត { $count }
referral-too-few-indicators = គ្មានសូចនាករខ្លាំង ហើយមានសូចនាករផ្សេងទៀតតែ { $count } (ត្រូវការពីរ)
referral-imminent-danger = កំពុងប្រឈមនឹងគ្រោះថ្នាក់ភ្លាមៗ
referral-adult-consented = មនុស្សពេញវ័យដែលបានយល់ព្រមឱ្យបញ្ជូនបន្ត
referral-adult-not-consented = មនុស្សពេញវ័យដែលមិនទាន់យល់ព្រម៖ មិនបញ្ជូនបន្តទេ ប៉ុន្តែបានផ្តល់ជំនួយ

## ភស្តុតាងនៃការត្រួតពិនិត្យ

screen-fact-no_passport = គ្មានលិខិតឆ្លងដែនដែលមានសុពលភាព
screen-fact-visa_unclear = ទិដ្ឋាការប្រភេទមិនច្បាស់លាស់
screen-fact-purpose_with_job_offer = និយាយថាធ្វើដំណើរដើម្បី{ $purpose ->
    [tourism] ទេសចរណ៍
    [study] សិក្សា
    [family] សួរសុខទុក្ខគ្រួសារ
    [business] ជំនួញ
   *[other] គោលបំណងផ្សេង
} ប៉ុន្តែមានការផ្តល់ការងារ
screen-fact-work_without_visa = ធ្វើដំណើរទៅធ្វើការ ដោយគ្មានទិដ្ឋាការការងារ ឬលិខិតអនុញ្ញាតការងារ
screen-fact-work_without_contract = ធ្វើដំណើរទៅធ្វើការ ដោយគ្មានកិច្ចសន្យាការងារ
screen-fact-no_guarantor = គ្មានអ្នកធានា
screen-fact-guarantor_unverified = អ្នកធានាមិនទាន់បានផ្ទៀងផ្ទាត់
screen-fact-funds_below_minimum = មានប្រាក់ { $cash } ដុល្លារ អប្បបរមា { $minimum } ដុល្លារ
screen-fact-no_return_ticket = គ្មានសំបុត្រត្រឡប់ សម្រាប់ដំណើរ{ $purpose ->
    [tourism] ទេសចរណ៍
    [family] សួរសុខទុក្ខគ្រួសារ
    [business] ជំនួញ
   *[other] រយៈពេលខ្លី
}
screen-fact-ticket_paid_by = សំបុត្របង់ដោយ{ $payer ->
    [employer] និយោជក
   *[recruiter] ភ្នាក់ងារជ្រើសរើសពលករ
}
screen-fact-ticket_payer_unknown = មិនដឹងថាអ្នកណាបង់ថ្លៃសំបុត្រ
screen-fact-documents_held_by_other = អ្នកផ្សេងកាន់ឯកសាររបស់អ្នកដំណើរ
screen-fact-companion_answers = អ្នករួមដំណើរឆ្លើយជំនួសអ្នកដំណើរ
screen-fact-offer_pay = ផ្តល់ប្រាក់ { $pay } ដុល្លារ លើសពី { $limit } ដុល្លារ ដែលគោលការណ៍ចាត់ទុកថាសមហេតុផល
screen-fact-offer_no_experience = មិនត្រូវការបទពិសោធន៍ (“{ $phrase }”)
screen-fact-offer_travel_paid = ចេញថ្លៃធ្វើដំណើរឱ្យ (“{ $phrase }”)
screen-fact-offer_messaging_only = ទំនាក់ទំនងតែតាមកម្មវិធីផ្ញើសារប៉ុណ្ណោះ ({ $apps })
screen-fact-offer_hotspot = ការងារនៅ { $country } ដែលជាគោលដៅល្បីនៃបរិវេណបោកប្រាស់
screen-fact-watchlist = { $what ->
    [contact] ទំនាក់ទំនង
    [employer] និយោជក
   *[offer_text] អត្ថបទផ្តល់ការងារ
} { $value } ពាក់ព័ន្ធនឹង { $labels }
screen-fact-attribute = { $attribute ->
    [sex] ភេទ
    [nationality] សញ្ជាតិ
    [ethnicity] ជនជាតិ
   *[religion] សាសនា
} គឺ { $value }
screen-fact-attribute_justified = { $attribute ->
    [sex] ភេទ
    [nationality] សញ្ជាតិ
    [ethnicity] ជនជាតិ
   *[religion] សាសនា
} គឺ { $value } (ហេតុផលរបស់គោលការណ៍៖ { $justification })

## ទម្ងន់នៃវាលនីមួយៗក្នុងការផ្គូផ្គងមនុស្ស

match-reason = { $field }៖ { $level } ({ $toward ->
    [against] −
   *[for] +
}{ $weight })
match-field-given = នាមខ្លួន
match-field-family = នាមត្រកូល
match-field-dob = ថ្ងៃខែឆ្នាំកំណើត
match-field-sex = ភេទ
match-field-nationality = សញ្ជាតិ
match-field-document = ឯកសារ
match-field-phone = ទូរស័ព្ទ
match-field-script_name = ឈ្មោះជាអក្សរដើម
match-field-number = លេខផ្ទះ
match-field-street = ផ្លូវ
match-field-locality = ទីក្រុង/ភូមិ
match-field-area = តំបន់
match-field-postcode = លេខកូដប្រៃសណីយ៍
match-field-province = ខេត្ត
match-level-missing = គ្មានទិន្នន័យ
match-level-exact = ដូចគ្នាបេះបិទ
match-level-equivalent = សមមូល
match-level-close = ជិតគ្នា
match-level-partial = ដូចគ្នាខ្លះ
match-level-different = ខុសគ្នា
