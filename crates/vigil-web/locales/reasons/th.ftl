# เหตุผลที่เครื่องสร้างขึ้น เขียนเป็นภาษาของผู้อ่าน

reasons-separator = { "; " }

## ลำดับความสำคัญของสถานที่ต้องสงสัย

reason-detail-signal = เบาะแส { $tips } รายการรายงานเรื่องนี้
reason-detail-corroboration = เบาะแสที่เป็นอิสระ { $independent } จาก { $tips } รายการ
reason-detail-specific_place = { $level ->
    [0] ไม่มีสถานที่
    [1] จังหวัด
    [2] อำเภอ
    [3] ตำบล
   *[4] หมู่บ้านหรือพิกัด
}
reason-detail-identifiers = ตัวระบุที่แตกต่างกัน { $count } รายการ
reason-detail-photos = ภาพถ่าย { $count } ภาพ
reason-detail-recency = เบาะแสล่าสุดเมื่อ { $days } วันก่อน
reason-detail-earlier_operations = ปฏิบัติการก่อนหน้า { $count } ครั้ง

## การส่งต่อผู้เสียหาย

referral-child-aged = เด็ก: อายุ { $age } ปี
referral-child-appears = เด็ก: ดูเหมือนอายุต่ำกว่า 18 ปี
referral-strong-indicator = ตัวบ่งชี้ที่ชัดเจน: { $indicator }
referral-other-indicators = ตัวบ่งชี้อื่น { $count } ข้อ
referral-too-few-indicators = ไม่มีตัวบ่งชี้ที่ชัดเจน และมีตัวบ่งชี้อื่นเพียง { $count } ข้อ (ต้องมีสองข้อ)
referral-imminent-danger = อยู่ในอันตรายเฉพาะหน้า
referral-adult-consented = ผู้ใหญ่ที่ยินยอมให้ส่งต่อ
referral-adult-not-consented = ผู้ใหญ่ที่ยังไม่ยินยอม: ไม่ส่งต่อ แต่ได้เสนอความช่วยเหลือ

## หลักฐานของการคัดกรอง

screen-fact-no_passport = ไม่มีหนังสือเดินทางที่ใช้ได้
screen-fact-visa_unclear = วีซ่าประเภทไม่ชัดเจน
screen-fact-purpose_with_job_offer = แจ้งว่าเดินทางเพื่อ{ $purpose ->
    [tourism] การท่องเที่ยว
    [study] การศึกษา
    [family] เยี่ยมครอบครัว
    [business] ธุรกิจ
   *[other] วัตถุประสงค์อื่น
} แต่มีข้อเสนองาน
screen-fact-work_without_visa = เดินทางไปทำงานโดยไม่มีวีซ่าทำงานหรือใบอนุญาตทำงาน
screen-fact-work_without_contract = เดินทางไปทำงานโดยไม่มีสัญญาจ้างงาน
screen-fact-no_guarantor = ไม่มีผู้ค้ำประกัน
screen-fact-guarantor_unverified = ผู้ค้ำประกันยังไม่ได้รับการตรวจสอบ
screen-fact-funds_below_minimum = มีเงินสด { $cash } ดอลลาร์สหรัฐ ขั้นต่ำ { $minimum } ดอลลาร์สหรัฐ
screen-fact-no_return_ticket = ไม่มีตั๋วขากลับสำหรับการเดินทาง{ $purpose ->
    [tourism] ท่องเที่ยว
    [family] เยี่ยมครอบครัว
    [business] ธุรกิจ
   *[other] ระยะสั้น
}
screen-fact-ticket_paid_by = ค่าตั๋วจ่ายโดย{ $payer ->
    [employer] นายจ้าง
   *[recruiter] นายหน้าจัดหางาน
}
screen-fact-ticket_payer_unknown = ไม่ทราบว่าใครเป็นผู้จ่ายค่าตั๋ว
screen-fact-documents_held_by_other = มีผู้อื่นถือเอกสารของผู้เดินทาง
screen-fact-companion_answers = ผู้ร่วมเดินทางตอบคำถามแทนผู้เดินทาง
screen-fact-offer_pay = เสนอค่าจ้าง { $pay } ดอลลาร์สหรัฐ สูงกว่า { $limit } ดอลลาร์สหรัฐที่นโยบายถือว่าสมเหตุสมผล
screen-fact-offer_no_experience = ไม่ต้องมีประสบการณ์ (“{ $phrase }”)
screen-fact-offer_travel_paid = ออกค่าเดินทางให้ (“{ $phrase }”)
screen-fact-offer_messaging_only = ติดต่อได้เฉพาะทางแอปส่งข้อความ ({ $apps })
screen-fact-offer_hotspot = งานใน { $country } ซึ่งเป็นปลายทางที่รู้กันว่ามีศูนย์หลอกลวงออนไลน์
screen-fact-watchlist = { $what ->
    [contact] ช่องทางติดต่อ
    [employer] นายจ้าง
   *[offer_text] ข้อความข้อเสนองาน
} { $value } เชื่อมโยงกับ { $labels }
screen-fact-attribute = { $attribute ->
    [sex] เพศ
    [nationality] สัญชาติ
    [ethnicity] ชาติพันธุ์
   *[religion] ศาสนา
} คือ { $value }
screen-fact-attribute_justified = { $attribute ->
    [sex] เพศ
    [nationality] สัญชาติ
    [ethnicity] ชาติพันธุ์
   *[religion] ศาสนา
} คือ { $value } (เหตุผลของนโยบาย: { $justification })

## น้ำหนักของแต่ละช่องในการจับคู่บุคคล

match-reason = { $field }: { $level } ({ $toward ->
    [against] −
   *[for] +
}{ $weight })
match-field-given = ชื่อตัว
match-field-family = นามสกุล
match-field-dob = วันเกิด
match-field-sex = เพศ
match-field-nationality = สัญชาติ
match-field-document = เอกสาร
match-field-phone = โทรศัพท์
match-field-script_name = ชื่อในอักษรเดิม
match-field-number = บ้านเลขที่
match-field-street = ถนน
match-field-locality = ท้องที่
match-field-area = พื้นที่
match-field-postcode = รหัสไปรษณีย์
match-field-province = จังหวัด
match-level-missing = ไม่มีข้อมูล
match-level-exact = ตรงกันทุกประการ
match-level-equivalent = เทียบเท่ากัน
match-level-close = ใกล้เคียง
match-level-partial = ตรงกันบางส่วน
match-level-different = แตกต่างกัน
