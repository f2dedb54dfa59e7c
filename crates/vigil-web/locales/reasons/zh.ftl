# 机器生成的理由，以读者的语言表述。

reasons-separator = { "；" }

## 可疑场所的优先级

reason-detail-signal = { $tips } 条线索报告此情况
reason-detail-corroboration = { $tips } 条线索中有 { $independent } 条相互独立
reason-detail-specific_place = { $level ->
    [0] 无地点
    [1] 省
    [2] 县/区
    [3] 乡/分区
   *[4] 村或坐标
}
reason-detail-identifiers = { $count } 个不同的标识
reason-detail-photos = { $count } 张照片
reason-detail-recency = 最新线索在 { $days } 天前
reason-detail-earlier_operations = { $count } 次先前行动

## 受害者转介

referral-child-aged = 儿童：{ $age } 岁
referral-child-appears = 儿童：看起来未满 18 岁
referral-strong-indicator = 强指标：{ $indicator }
referral-other-indicators = { $count } 项其他指标
referral-too-few-indicators = 无强指标，其他指标仅 { $count } 项（需要两项）
referral-imminent-danger = 处于紧迫危险之中
referral-adult-consented = 同意转介的成年人
referral-adult-not-consented = 尚未同意的成年人：不转介，已提供援助

## 出境筛查的证据

screen-fact-no_passport = 无有效护照
screen-fact-visa_unclear = 签证类型不明
screen-fact-purpose_with_job_offer = 自称出行目的为{ $purpose ->
    [tourism] 旅游
    [study] 学习
    [family] 探亲
    [business] 商务
   *[other] 其他
}，但持有工作邀约
screen-fact-work_without_visa = 出境工作但无工作签证或工作许可
screen-fact-work_without_contract = 出境工作但无劳动合同
screen-fact-no_guarantor = 无担保人
screen-fact-guarantor_unverified = 担保人未经核实
screen-fact-funds_below_minimum = 携带 { $cash } 美元，最低要求 { $minimum } 美元
screen-fact-no_return_ticket = { $purpose ->
    [tourism] 旅游
    [family] 探亲
    [business] 商务
   *[other] 短期
}行程却无返程机票
screen-fact-ticket_paid_by = 机票由{ $payer ->
    [employer] 雇主
   *[recruiter] 招聘中介
}支付
screen-fact-ticket_payer_unknown = 不知道机票由谁支付
screen-fact-documents_held_by_other = 旅客的证件由他人持有
screen-fact-companion_answers = 同行者代旅客回答
screen-fact-offer_pay = 提供 { $pay } 美元，高于政策认为合理的 { $limit } 美元
screen-fact-offer_no_experience = 无需经验（“{ $phrase }”）
screen-fact-offer_travel_paid = 包路费（“{ $phrase }”）
screen-fact-offer_messaging_only = 只能通过即时通讯软件联系（{ $apps }）
screen-fact-offer_hotspot = 工作地点在 { $country }，已知的诈骗园区目的地
screen-fact-watchlist = { $what ->
    [contact] 联系方式
    [employer] 雇主
   *[offer_text] 邀约内容
} { $value } 与 { $labels } 有关联
screen-fact-attribute = { $attribute ->
    [sex] 性别
    [nationality] 国籍
    [ethnicity] 民族
   *[religion] 宗教
}为 { $value }
screen-fact-attribute_justified = { $attribute ->
    [sex] 性别
    [nationality] 国籍
    [ethnicity] 民族
   *[religion] 宗教
}为 { $value }（政策的理由：{ $justification }）

## 人员比对中各字段的权重

match-reason = { $field }：{ $level }（{ $toward ->
    [against] −
   *[for] +
}{ $weight }）
match-field-given = 名
match-field-family = 姓
match-field-dob = 出生日期
match-field-sex = 性别
match-field-nationality = 国籍
match-field-document = 证件
match-field-phone = 电话
match-field-script_name = 原文姓名
match-field-number = 门牌号
match-field-street = 街道
match-field-locality = 地方
match-field-area = 地区
match-field-postcode = 邮政编码
match-field-province = 省
match-level-missing = 缺失
match-level-exact = 完全一致
match-level-equivalent = 等同
match-level-close = 相近
match-level-partial = 部分一致
match-level-different = 不同
