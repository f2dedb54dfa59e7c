# The signs messages (see i18n.rs, PUBLIC_PARTS).
# One title (`sign-<id>`) and one sentence (`sign-<id>-why`) per warning sign;
# the ids are those of crates/vigil-signs/rules/default.toml.

signs-version = 警示信号规则 { $version } 版

sign-pay-too-high = 工资远高于工作本身
sign-pay-too-high-why = 不需要技能的工作很少给这么高的工资；高薪是把人骗到境外诈骗园区最常用的诱饵。
sign-no-experience = 无需经验
sign-no-experience-why = 对任何人都许诺高薪、不要求技能和经验，是诈骗园区招人时广撒网的惯用手法。
sign-travel-paid = 包机票、签证或食宿
sign-travel-paid-why = “免费”的机票、签证或住宿往往会变成要你打工偿还的债务，还清之前不让你离开。
sign-chat-app-only = 只通过聊天软件联系
sign-chat-app-only-why = 正规雇主有可以核实的地址、电话和名称；只在 Telegram、WhatsApp、Line 或微信上联系的招聘者随时可能消失。
sign-passport-kept = 索要或扣押护照
sign-passport-kept-why = 任何人都无权扣留你的护照；拿着你护照的雇主可以阻止你离开。
sign-border-zone-job = 边境城镇或经济特区的网络工作
sign-border-zone-job-why = 在西港、波贝、巴域、妙瓦底等地的“客服”、打字或网络销售工作，是诈骗园区强迫劳动的常见幌子。
sign-crypto-profit = 承诺保本或每日收益的投资
sign-crypto-profit-why = 没有任何真实的投资能保证每天赚钱；这类承诺（常以 USDT 计价）正是投资诈骗骗走你积蓄的手段。
sign-task-scam = 点赞、刷好评或“做任务”赚钱
sign-task-scam-why = 点赞视频或给商品评分就能赚钱是个圈套：先给你一点小钱，然后要你充值才能“解锁”更多任务。
sign-upfront-fee = 开工前先要钱
sign-upfront-fee-why = 正规工作不会要求你先交费用或押金，也不会从你的工资里扣还路费。
sign-urgency = 催你马上决定或出发
sign-urgency-why = 骗子催促你，是为了让你没有时间核实这份工作，也来不及和家人商量。
sign-video-call = 私下视频或要求开摄像头
sign-video-call-why = 假警察、假老板或假恋人会用私下视频通话（有时用 AI 换脸）向你施压，让他们的说法看起来像真的。
