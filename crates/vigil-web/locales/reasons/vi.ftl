# Lý do do máy tạo ra, diễn đạt bằng ngôn ngữ của người đọc.

reasons-separator = { "; " }

## Mức ưu tiên của một cơ sở bị nghi ngờ

reason-detail-signal = { $tips } tin báo cho biết điều này
reason-detail-corroboration = { $independent } tin báo độc lập trên tổng số { $tips }
reason-detail-specific_place = { $level ->
    [0] không có địa điểm
    [1] tỉnh
    [2] huyện
    [3] xã
   *[4] làng hoặc tọa độ
}
reason-detail-identifiers = { $count } mã định danh khác nhau
reason-detail-photos = { $count } ảnh
reason-detail-recency = tin báo gần nhất cách đây { $days } ngày
reason-detail-earlier_operations = { $count } chiến dịch trước đây

## Chuyển tuyến nạn nhân

referral-child-aged = trẻ em: { $age } tuổi
referral-child-appears = trẻ em: có vẻ dưới 18 tuổi
referral-strong-indicator = dấu hiệu mạnh: { $indicator }
referral-other-indicators = { $count } dấu hiệu khác
referral-too-few-indicators = không có dấu hiệu mạnh và chỉ có { $count } dấu hiệu khác (cần hai)
referral-imminent-danger = đang gặp nguy hiểm cận kề
referral-adult-consented = người trưởng thành đã đồng ý được chuyển tuyến
referral-adult-not-consented = người trưởng thành chưa đồng ý: không chuyển tuyến, đã được đề nghị hỗ trợ

## Bằng chứng của một lần sàng lọc

screen-fact-no_passport = không có hộ chiếu hợp lệ
screen-fact-visa_unclear = thị thực không rõ loại
screen-fact-purpose_with_job_offer = nói là đi { $purpose ->
    [tourism] du lịch
    [study] học
    [family] thăm gia đình
    [business] công tác
   *[other] vì mục đích khác
} nhưng có lời mời làm việc
screen-fact-work_without_visa = đi làm việc mà không có thị thực lao động hay giấy phép lao động
screen-fact-work_without_contract = đi làm việc mà không có hợp đồng lao động
screen-fact-no_guarantor = không có người bảo lãnh
screen-fact-guarantor_unverified = người bảo lãnh chưa được xác minh
screen-fact-funds_below_minimum = mang theo { $cash } USD, tối thiểu { $minimum } USD
screen-fact-no_return_ticket = không có vé khứ hồi cho chuyến đi { $purpose ->
    [tourism] du lịch
    [family] thăm gia đình
    [business] công tác
   *[other] ngắn ngày
}
screen-fact-ticket_paid_by = vé do { $payer ->
    [employer] chủ lao động
   *[recruiter] người môi giới
} trả
screen-fact-ticket_payer_unknown = không biết ai đã trả tiền vé
screen-fact-documents_held_by_other = người khác giữ giấy tờ của hành khách
screen-fact-companion_answers = người đi cùng trả lời thay hành khách
screen-fact-offer_pay = trả { $pay } USD, cao hơn mức { $limit } USD mà chính sách coi là hợp lý
screen-fact-offer_no_experience = không cần kinh nghiệm (“{ $phrase }”)
screen-fact-offer_travel_paid = được trả chi phí đi lại (“{ $phrase }”)
screen-fact-offer_messaging_only = chỉ liên lạc qua ứng dụng nhắn tin ({ $apps })
screen-fact-offer_hotspot = việc làm ở { $country }, một điểm đến đã biết của các khu lừa đảo
screen-fact-watchlist = { $what ->
    [contact] liên hệ
    [employer] chủ lao động
   *[offer_text] nội dung lời mời
} { $value } có liên quan đến { $labels }
screen-fact-attribute = { $attribute ->
    [sex] giới tính
    [nationality] quốc tịch
    [ethnicity] dân tộc
   *[religion] tôn giáo
} là { $value }
screen-fact-attribute_justified = { $attribute ->
    [sex] giới tính
    [nationality] quốc tịch
    [ethnicity] dân tộc
   *[religion] tôn giáo
} là { $value } (lý do của chính sách: { $justification })

## Trọng số từng trường khi đối chiếu người

match-reason = { $field }: { $level } ({ $toward ->
    [against] −
   *[for] +
}{ $weight })
match-field-given = tên
match-field-family = họ
match-field-dob = ngày sinh
match-field-sex = giới tính
match-field-nationality = quốc tịch
match-field-document = giấy tờ
match-field-phone = điện thoại
match-field-script_name = tên theo chữ gốc
match-field-number = số nhà
match-field-street = đường
match-field-locality = địa phương
match-field-area = khu vực
match-field-postcode = mã bưu chính
match-field-province = tỉnh
match-level-missing = thiếu
match-level-exact = trùng khớp
match-level-equivalent = tương đương
match-level-close = gần giống
match-level-partial = khớp một phần
match-level-different = khác nhau
