//! Tip prose as a citizen or a victim's family writes it, in Khmer, English,
//! Chinese, Vietnamese and Thai: whole sentences from templates, one set per
//! kind of tip (someone held, passports taken, violence, children, a
//! recruiter at work, a job offer, something just suspicious), with slots for
//! the relative (`{rel}`, `{name}`), the place (`{place}`, a phrase naming
//! the compound and the hub), counts (`{n}`, `{few}`, `{days}`) and amounts
//! (`{usd}`); and sentences that carry a recruiter, a website, a Facebook
//! page or the hotline the generator drew (`{x}`), put in as given.
//!
//! A [`Reporter`] writes one tip from its own random stream, so the draws of
//! the identifiers, places and flags are the same whichever prose is chosen.

use super::Rng;

/// What a tip is about; its sentences come from this kind's templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Someone is held and cannot leave.
    Held,
    /// Passports were taken.
    Passports,
    /// Beatings, threats.
    Violence,
    /// Children inside.
    Children,
    /// Someone recruits people for the compounds.
    Recruitment,
    /// The job that was offered.
    JobOffer,
    /// Something is wrong, nothing more is known.
    Suspicious,
}

/// An identifier drawn by the generator, as written in the tip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Id {
    /// A phone number.
    Phone(String),
    /// A Telegram handle or link.
    Handle(String),
}

/// Templates of one language.
struct Book {
    /// Relatives, as the subject or object of a sentence: men, women.
    rel: [&'static [&'static str]; 2],
    /// Given names: men's, women's.
    names: [&'static [&'static str]; 2],
    /// Days of the week.
    weekdays: [&'static str; 7],
    /// What a neighbour sells.
    goods: [&'static str; 8],
    /// `{place}` from the compound `{c}` and the hub `{h}`.
    place: &'static str,
    /// Per kind: (openings naming `{place}`, sentences naming no place).
    kinds: [(&'static [&'static str], &'static [&'static str]); 7],
    recruiter: &'static [&'static str],
    site: &'static [&'static str],
    facebook: &'static [&'static str],
    hotline: &'static [&'static str],
    closing: &'static [&'static str],
}

const KM: Book = Book {
    rel: [
        &["បងប្រុសខ្ញុំ", "កូនប្រុសខ្ញុំ", "ប្តីខ្ញុំ", "ក្មួយប្រុសខ្ញុំ"],
        &["ប្អូនស្រីខ្ញុំ", "កូនស្រីខ្ញុំ", "ប្រពន្ធខ្ញុំ", "ក្មួយស្រីខ្ញុំ"],
    ],
    names: [
        &[
            "ដារា",
            "រិទ្ធី",
            "វុទ្ធី",
            "កុសល",
            "ពិសិដ្ឋ",
            "វាសនា",
            "សុផល",
            "ចាន់ថា",
            "បូរ៉ា",
            "សំណាង",
        ],
        &[
            "សុខា",
            "ស្រីមុំ",
            "បុប្ផា",
            "ណារី",
            "ចិន្តា",
            "សុភា",
            "ស្រីនាង",
            "ធីតា",
            "សុគន្ធា",
            "ម៉ាលីស",
        ],
    ],
    weekdays: [
        "ថ្ងៃច័ន្ទ",
        "ថ្ងៃអង្គារ",
        "ថ្ងៃពុធ",
        "ថ្ងៃព្រហស្បតិ៍",
        "ថ្ងៃសុក្រ",
        "ថ្ងៃសៅរ៍",
        "ថ្ងៃអាទិត្យ",
    ],
    goods: [
        "គុយទាវ",
        "ផ្លែឈើ",
        "កាតទូរស័ព្ទ",
        "កាហ្វេ",
        "សាំង",
        "អង្ករ",
        "បន្លែ",
        "បារី",
    ],
    place: "បរិវេណ {c} នៅ{h}",
    kinds: [
        (
            &[
                "{rel}ឈ្មោះ {name} ត្រូវគេឃុំនៅក្នុង{place} ហើយមិនអាចចេញមកក្រៅបានទេ។",
                "{rel} {name} ទៅធ្វើការនៅ{place} បាន {days} ថ្ងៃហើយ ឥឡូវគេចាក់សោទុកនៅក្នុងអគារ។",
                "{rel} {name} លួចខលមកខ្ញុំពី{place} ប្រាប់ថាគេមិនឱ្យនរណាម្នាក់ចេញពីអគារទេ។",
            ],
            &[
                "{rel} {name} ត្រូវគេឃុំនៅក្នុងអគារនេះ ហើយគេទាមទារឱ្យគ្រួសារបង់ {usd} ដុល្លារ ទើបដោះលែង។",
                "{name} ផ្ញើទីតាំងនេះមកខ្ញុំកាលពី {days} ថ្ងៃមុន ហើយប្រាប់ថាគេឃុំមនុស្សទាំងអស់នៅខាងក្នុង។",
                "{name} ប្រាប់ថា អស់ {days} ថ្ងៃមកហើយ ទ្វារចាក់សោជានិច្ច ហើយមានឆ្មាំយាមទាំងយប់ទាំងថ្ងៃ។",
                "{weekday}មុន {name} លួចផ្ញើសារមកថា មានមនុស្ស {few} នាក់មកពីស្រុកយើង ត្រូវគេចាក់សោក្នុងបន្ទប់តែមួយ។",
            ],
        ),
        (
            &["{rel} {name} ទៅដល់{place} ភ្លាម គេយកលិខិតឆ្លងដែន និងទូរស័ព្ទរបស់គាត់ទុក។"],
            &[
                "គេយកលិខិតឆ្លងដែនរបស់{rel}តាំងពីថ្ងៃដំបូង ហើយមិនព្រមប្រគល់ឱ្យវិញទេ។",
                "ថៅកែរក្សាលិខិតឆ្លងដែនរបស់កម្មករទាំង {n} នាក់ ហើយទាមទារ {usd} ដុល្លារ ទើបឱ្យវិញ។",
            ],
        ),
        (
            &["កម្មករនៅ{place} ត្រូវគេវាយ បើធ្វើមិនបានគោលដៅ។"],
            &[
                "{name} ប្រាប់ថា អ្នកណាធ្វើមិនបានគោលដៅ ត្រូវគេវាយនឹងដំបង និងឆក់ខ្សែភ្លើង។",
                "{name} ប្រាប់ថា កាលពីសប្តាហ៍មុន មានកម្មករម្នាក់ត្រូវគេវាយយ៉ាងធ្ងន់ ព្រោះព្យាយាមរត់គេច។",
                "គេគំរាមថានឹងលក់{rel}ទៅក្រុមហ៊ុនផ្សេង បើគ្រួសារមិនបង់ប្រាក់ {usd} ដុល្លារ។",
            ],
        ),
        (
            &["មានក្មេងៗធ្វើការនៅក្នុង{place} ដែរ។"],
            &[
                "{name} ប្រាប់ថា មានក្មេងយ៉ាងតិច {few} នាក់នៅខាងក្នុង ខ្លះមើលទៅអាយុមិនលើសពី ១៥ ឆ្នាំទេ។",
                "{name} បានឃើញក្មេងប្រុសក្មេងស្រីជំទង់ធ្វើការលើទូរស័ព្ទទាំងយប់។",
            ],
        ),
        (
            &[
                "មានបុរសម្នាក់នៅភូមិយើងជ្រើសរើសយុវជនឱ្យទៅធ្វើការនៅ{place} មាន {few} នាក់ទៅហើយ ខ្លះមិនអាចត្រឡប់មកវិញបានទេ។",
                "{rel}ត្រូវគេជ្រើសរើសតាមហ្វេសប៊ុកឱ្យទៅធ្វើការនៅ{place} ហើយគ្រួសារទាក់ទង{name}មិនបានអស់ {days} ថ្ងៃហើយ។",
            ],
            &[
                "មានស្ត្រីម្នាក់មកភូមិខ្ញុំ សន្យាការងារនៅក្រៅប្រទេស ហើយនាំយុវជន {few} នាក់ឡើងឡានតែមួយទៅបាត់។",
                "អ្នកជ្រើសរើសចេញថ្លៃធ្វើដំណើរឱ្យ{name} ហើយប្រាប់ថាមិនបាច់មានលិខិតអ្វីទេ។",
            ],
        ),
        (
            &[
                "គេសន្យាឱ្យ{name}ធ្វើជាអ្នកគិតលុយនៅ{place} ប្រាក់ខែ {usd} ដុល្លារ មានអាហារ និងកន្លែងស្នាក់នៅឥតគិតថ្លៃ។",
                "ការផ្សាយថាត្រូវការបុគ្គលិកបម្រើអតិថិជននៅ{place} ប្រាក់ខែ {usd} ដុល្លារ មិនត្រូវការបទពិសោធន៍។",
            ],
            &[
                "ការងារនោះសន្យាប្រាក់ខែ {usd} ដុល្លារ សម្រាប់ការងារវាយអក្សរ មានអាហារ និងកន្លែងស្នាក់នៅ។",
                "ពេលទៅដល់ គេប្រាប់{name}ថាត្រូវបោកប្រាស់មនុស្សតាមអនឡាញ មិនមែនការងារដែលបានសន្យាទេ។",
            ],
        ),
        (
            &[
                "ខ្ញុំរស់នៅក្បែរ{place} ហើយឃើញឡានក្រុងដឹកជនបរទេសចូលក្នុងបរិវេណនៅពេលយប់ជ្រៅ។",
                "មានរឿងមិនប្រក្រតីនៅ{place}៖ យុវជនរាប់រយនាក់មិនដែលចេញពីបរិវេណ ហើយឆ្មាំពិនិត្យមនុស្សគ្រប់គ្នានៅច្រកទ្វារ។",
            ],
            &[
                "ខ្ញុំលក់{goods}នៅម្ខាងផ្លូវ ហើយអស់ {days} ថ្ងៃមកហើយ ខ្ញុំឃើញបង្អួចមានដែកពាំង និងមិនដែលឃើញនរណាចេញមកក្រៅទេ។",
                "យប់{weekday} ប្រហែលម៉ោង {hour} ទៀបភ្លឺ អ្នកជិតខាងឮសំឡេងស្រែកពីអគារនេះ ហើយឃើញឡានកញ្ចក់ខ្មៅ {few} គ្រឿង។",
                "{weekday}មុន ខ្ញុំឃើញឡាន {few} គ្រឿងដឹកយុវជនចូលក្នុងអគារ ប្រហែលម៉ោង {hour} ទៀបភ្លឺ។",
                "ប្អូនជីដូនមួយខ្ញុំធ្លាប់ដឹក{goods}ទៅទីនោះ {few} ដង ហើយរាល់ដង ឆ្មាំយកកញ្ចប់នៅច្រកទ្វារ រួចដេញគាត់ចេញ។",
                "តាំងពី{weekday} ភ្លើងបើកពេញមួយយប់នៅ {few} ជាន់ ហើយខ្ញុំឮសំឡេងមនុស្សយំ។",
                "មនុស្សប្រហែល {n} នាក់រស់នៅខាងក្នុង តែអស់ {days} ថ្ងៃហើយ គ្មាននរណាម្នាក់ចេញមកទិញ{goods}នៅផ្សារទេ។",
            ],
        ),
    ],
    recruiter: &[
        "អ្នកជ្រើសរើស {x} ជាអ្នកនាំ{name}មកទីនេះ។",
        "គឺឈ្មួញកណ្តាល {x} ដែលបញ្ជូន{rel}ទៅទីនោះ។",
    ],
    site: &["គេឱ្យចុះឈ្មោះនៅគេហទំព័រ {x}", "គេហទំព័ររបស់ក្រុមហ៊ុនគឺ {x}"],
    facebook: &["គេផ្សាយការងារនៅទំព័រ facebook.com/{x}"],
    hotline: &["ខ្ញុំបានហៅទៅខ្សែទូរស័ព្ទជំនួយ {x} រួចហើយ តែមិនទាន់មានដំណឹងទេ។"],
    closing: &[
        "សូមជួយសង្គ្រោះពួកគេផង។",
        "សូមជួយយើងផង គ្រួសារខ្ញុំព្រួយបារម្ភខ្លាំងណាស់។",
        "ខ្ញុំខ្លាចមិនហ៊ានប្រាប់ឈ្មោះទេ។",
    ],
};

const EN: Book = Book {
    rel: [
        &["my brother", "my son", "my husband", "my nephew"],
        &["my sister", "my daughter", "my wife", "my niece"],
    ],
    names: [
        &[
            "Joel", "Ravi", "Kevin", "Rizal", "Daniel", "Samuel", "Arjun", "Bayu", "Jomo", "Marco",
        ],
        &[
            "Maria", "Grace", "Anjali", "Ayu", "Joy", "Mary", "Siti", "Priya", "Wanjiru", "Lina",
        ],
    ],
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    goods: [
        "noodles",
        "fruit",
        "phone cards",
        "coffee",
        "fuel",
        "rice",
        "vegetables",
        "cigarettes",
    ],
    place: "the {c} compound in {h}",
    kinds: [
        (
            &[
                "{rel} {name} is being held in {place} and cannot leave.",
                "I am writing about {rel} {name}, who went to {place} {days} days ago for a job and is now locked inside.",
                "{rel} {name} called me in secret from {place}: the doors are locked and nobody may go out.",
            ],
            &[
                "{rel} {name} is locked inside this building; they ask the family {usd} USD to let them go.",
                "{name} sent me this location {days} days ago and said they keep everyone inside.",
                "{name} says that for {days} days the gates have been locked, with guards day and night.",
                "Last {weekday} {name} managed to send a message: {few} people from our area are locked in the same room.",
            ],
        ),
        (
            &["When {name} arrived at {place}, they took the passport and the phone."],
            &[
                "They took the passport of {rel} on the first day and still keep it.",
                "The boss keeps the passports of all {n} workers and asks {usd} USD to give one back.",
            ],
        ),
        (
            &["Workers at {place} are beaten when they miss their targets."],
            &[
                "{name} says those who miss the target are beaten with sticks and shocked with electric batons.",
                "{name} says a worker was beaten badly last week for trying to escape.",
                "They threatened to sell {rel} to another company if the family does not pay {usd} USD.",
            ],
        ),
        (
            &["There are children working inside {place} too."],
            &[
                "{name} says there are at least {few} children inside, some look no older than 15.",
                "{name} saw teenage boys and girls working on the phones at night.",
            ],
        ),
        (
            &[
                "A man in our village is recruiting young people for work at {place}; {few} have already gone and some cannot come back.",
                "{rel} was recruited on Facebook for a job at {place}, and the family has not heard from {name} for {days} days.",
            ],
            &[
                "A woman came to our village offering jobs abroad and took {few} young people away in one van.",
                "The recruiter paid the trip for {name} and said no papers were needed.",
            ],
        ),
        (
            &[
                "{name} was promised a job as a cashier at {place}, {usd} USD a month with food and room free.",
                "The offer said customer service at {place}, {usd} USD a month, no experience needed, ticket paid.",
            ],
            &[
                "The job offer promised {usd} USD a month for typing work, food and room included.",
                "On arrival they told {name} the work was scamming people online, not the job promised.",
            ],
        ),
        (
            &[
                "I live near {place} and see buses bringing foreigners in late at night.",
                "Something is wrong at {place}: hundreds of young people never leave, and guards check everyone at the gate.",
            ],
            &[
                "I sell {goods} across the road, and for {days} days I have seen bars on the windows and nobody coming out.",
                "On {weekday} night, at about {hour} in the morning, neighbours heard shouting from this building and saw {few} vans with dark windows.",
                "Last {weekday} I saw {few} cars bring young people into the building at about {hour} in the morning.",
                "My cousin delivered {goods} there {few} times; each time a guard took the bags at the gate and sent him away.",
                "Since {weekday} the lights have stayed on all night on {few} floors, and I hear people crying.",
                "About {n} people live inside, but in {days} days none of them has come out to buy {goods} at the market.",
            ],
        ),
    ],
    recruiter: &[
        "The recruiter {x} brought {name} here.",
        "It was the broker {x} who sent {rel} there.",
    ],
    site: &[
        "They register workers on the website {x}",
        "The company's site is {x}",
    ],
    facebook: &["They post the job ads on the page facebook.com/{x}"],
    hotline: &["I already called the hotline {x} but nothing has happened yet."],
    closing: &[
        "Please help get them out.",
        "Please help us, the family is very worried.",
        "I am afraid to give my name.",
    ],
};

const ZH: Book = Book {
    rel: [
        &["我哥哥", "我儿子", "我老公", "我侄子"],
        &["我妹妹", "我女儿", "我老婆", "我侄女"],
    ],
    names: [
        &[
            "小军", "阿明", "阿杰", "志强", "阿龙", "建华", "浩然", "俊杰", "国栋", "子豪",
        ],
        &[
            "小丽", "小芳", "晓燕", "小娟", "海燕", "丽丽", "婷婷", "雅琪", "秀英", "佳怡",
        ],
    ],
    weekdays: [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期天",
    ],
    goods: [
        "米粉",
        "水果",
        "电话卡",
        "咖啡",
        "汽油",
        "大米",
        "蔬菜",
        "香烟",
    ],
    place: "{h}的{c}园区",
    kinds: [
        (
            &[
                "{rel}{name}被关在{place}里，出不来。",
                "{rel}{name}去{place}打工{days}天了，现在被锁在楼里。",
                "{rel}{name}偷偷从{place}给我打电话，说门一直锁着，谁都不准出去。",
            ],
            &[
                "{rel}{name}被关在这栋楼里，他们要家里交{usd}美金才放人。",
                "{name}{days}天前把这个定位发给我，说里面的人都被关着。",
                "{name}说这{days}天大门一直锁着，保安日夜看守。",
                "上个{weekday}{name}偷偷发来消息，说我们老家有{few}个人被锁在同一个房间里。",
            ],
        ),
        (
            &["{name}一到{place}，护照和手机就被收走了。"],
            &[
                "第一天他们就把{rel}的护照收走了，到现在也不还。",
                "老板扣着{n}个人的护照，要交{usd}美金才还。",
            ],
        ),
        (
            &["{place}里完不成业绩的人会挨打。"],
            &[
                "{name}说完不成业绩的人会被用棍子打，还会被电棍电。",
                "{name}说上个星期有一个人因为想逃跑被打得很惨。",
                "他们威胁说，家里不交{usd}美金就把{rel}卖到别的公司去。",
            ],
        ),
        (
            &["{place}里面也有小孩在干活。"],
            &[
                "{name}说里面至少有{few}个小孩，有的看起来不到十五岁。",
                "{name}看到一些十几岁的男孩女孩晚上也在用手机干活。",
            ],
        ),
        (
            &[
                "我们村里有个男的在招年轻人去{place}打工，已经去了{few}个，有几个回不来。",
                "{rel}在脸书上被人招去{place}工作，家里已经{days}天联系不上{name}了。",
            ],
            &[
                "有个女的来我们村里说介绍出国工作，一辆面包车拉走了{few}个年轻人。",
                "招工的人给{name}出了路费，说什么证件都不用办。",
            ],
        ),
        (
            &[
                "对方答应{name}去{place}当收银员，月薪{usd}美金，包吃包住。",
                "招聘信息说是在{place}做客服，月薪{usd}美金，不要经验，报销路费。",
            ],
            &[
                "那个工作说是打字员，月薪{usd}美金，包吃包住。",
                "到了以后才告诉{name}是做网络诈骗，根本不是说好的工作。",
            ],
        ),
        (
            &[
                "我住在{place}附近，经常看到大巴半夜把外国人拉进去。",
                "{place}那边很不对劲，几百个年轻人从来不出来，门口保安每个人都要检查。",
            ],
            &[
                "我在马路对面卖{goods}，这{days}天看到窗户都装了铁栏，从来没见过有人出来。",
                "{weekday}晚上凌晨{hour}点左右，邻居听到这栋楼里有人喊叫，还看到{few}辆黑玻璃的面包车。",
                "上个{weekday}我看到{few}辆车凌晨{hour}点左右把年轻人拉进楼里。",
                "我表弟给那里送过{few}次{goods}，每次都是保安在门口接过去就让他走。",
                "从{weekday}开始，有{few}层楼的灯整夜都亮着，我还听到有人在哭。",
                "里面住了大概{n}个人，可是这{days}天从来没人出来买{goods}。",
            ],
        ),
    ],
    recruiter: &[
        "把{name}介绍过来的是中介{x}。",
        "把{rel}送过去的是中介{x}。",
    ],
    site: &["让人注册的网站是{x}", "公司网站是{x}"],
    facebook: &["他们的招聘广告发在脸书主页 facebook.com/{x}"],
    hotline: &["我已经打过热线{x}，但还没有消息。"],
    closing: &[
        "求求你们救救他们。",
        "请帮帮我们，家里人都急死了。",
        "我害怕，不敢留名字。",
    ],
};

const VI: Book = Book {
    rel: [
        &["anh trai tôi", "con trai tôi", "chồng tôi", "cháu trai tôi"],
        &["em gái tôi", "con gái tôi", "vợ tôi", "cháu gái tôi"],
    ],
    names: [
        &[
            "Tuấn", "Hùng", "Minh", "Dũng", "Nam", "Quang", "Khánh", "Phúc", "Sơn", "Bảo",
        ],
        &[
            "Lan", "Thảo", "Hương", "Linh", "Trang", "Hà", "Ngọc", "Mai", "Yến", "Vy",
        ],
    ],
    weekdays: [
        "thứ Hai",
        "thứ Ba",
        "thứ Tư",
        "thứ Năm",
        "thứ Sáu",
        "thứ Bảy",
        "Chủ nhật",
    ],
    goods: [
        "hủ tiếu",
        "trái cây",
        "thẻ điện thoại",
        "cà phê",
        "xăng",
        "gạo",
        "rau",
        "thuốc lá",
    ],
    place: "khu {c} ở {h}",
    kinds: [
        (
            &[
                "{rel} là {name} đang bị giam trong {place}, không được ra ngoài.",
                "{rel} {name} sang {place} làm việc được {days} ngày thì bị nhốt trong đó.",
                "{rel} {name} lén gọi điện về từ {place}, nói cửa luôn khóa và không ai được ra ngoài.",
            ],
            &[
                "{rel} {name} đang bị nhốt trong tòa nhà này, họ đòi gia đình {usd} USD mới thả người.",
                "{name} gửi vị trí này cho tôi {days} ngày trước và nói họ giữ tất cả mọi người bên trong.",
                "{name} nói đã {days} ngày nay cổng luôn khóa và có bảo vệ canh cả ngày lẫn đêm.",
                "{weekday} tuần trước {name} lén nhắn tin về: có {few} người cùng quê bị nhốt chung một phòng.",
            ],
        ),
        (
            &["Vừa đến {place}, {name} đã bị thu hộ chiếu và điện thoại."],
            &[
                "Ngay ngày đầu họ đã thu hộ chiếu của {rel} và đến giờ vẫn chưa trả.",
                "Ông chủ giữ hộ chiếu của cả {n} người làm và đòi {usd} USD mới trả lại.",
            ],
        ),
        (
            &["Người làm ở {place} bị đánh nếu không đạt chỉ tiêu."],
            &[
                "{name} kể ai không đạt chỉ tiêu thì bị đánh bằng gậy và bị chích điện.",
                "{name} kể tuần trước có một người bị đánh rất nặng vì tìm cách bỏ trốn.",
                "Họ dọa sẽ bán {rel} sang công ty khác nếu gia đình không nộp {usd} USD.",
            ],
        ),
        (
            &["Trong {place} còn có cả trẻ em phải làm việc."],
            &[
                "{name} nói bên trong có ít nhất {few} trẻ em, có đứa trông chưa quá 15 tuổi.",
                "{name} thấy nhiều em trai và gái tuổi mới lớn phải làm việc với điện thoại suốt đêm.",
            ],
        ),
        (
            &[
                "Có một người đàn ông trong làng tôi đang tuyển thanh niên đi làm ở {place}; đã có {few} người đi và vài người không về được.",
                "{rel} được tuyển qua Facebook để đi làm ở {place}, cả nhà không liên lạc được với {name} đã {days} ngày.",
            ],
            &[
                "Có một phụ nữ đến làng tôi hứa hẹn việc làm ở nước ngoài rồi chở {few} thanh niên đi trên cùng một xe.",
                "Người tuyển dụng trả tiền đi đường cho {name} và nói không cần giấy tờ gì.",
            ],
        ),
        (
            &[
                "{name} được hứa làm thu ngân ở {place}, lương {usd} USD một tháng, bao ăn ở.",
                "Tin tuyển dụng ghi là chăm sóc khách hàng ở {place}, lương {usd} USD một tháng, không cần kinh nghiệm, được trả vé.",
            ],
            &[
                "Lời mời làm việc hứa lương {usd} USD một tháng cho việc đánh máy, bao ăn ở.",
                "Đến nơi họ mới nói với {name} là phải lừa đảo qua mạng, không phải công việc đã hứa.",
            ],
        ),
        (
            &[
                "Tôi sống gần {place} và thấy xe buýt chở người nước ngoài vào lúc nửa đêm.",
                "Ở {place} có chuyện lạ: hàng trăm thanh niên không bao giờ ra ngoài, bảo vệ kiểm tra từng người ở cổng.",
            ],
            &[
                "Tôi bán {goods} bên kia đường, đã {days} ngày nay thấy cửa sổ có song sắt và không ai đi ra.",
                "Đêm {weekday}, khoảng {hour} giờ sáng, hàng xóm nghe tiếng la hét từ tòa nhà này và thấy {few} chiếc xe kính đen.",
                "{weekday} tuần trước tôi thấy {few} chiếc xe chở thanh niên vào tòa nhà lúc khoảng {hour} giờ sáng.",
                "Em họ tôi từng giao {goods} đến đó {few} lần, lần nào bảo vệ cũng nhận hàng ở cổng rồi đuổi về.",
                "Từ {weekday} đến giờ đèn sáng suốt đêm ở {few} tầng, và tôi nghe thấy tiếng người khóc.",
                "Có khoảng {n} người sống bên trong nhưng {days} ngày nay không ai ra chợ mua {goods}.",
            ],
        ),
    ],
    recruiter: &[
        "Người môi giới {x} đã đưa {name} đến đây.",
        "Chính môi giới {x} đã đưa {rel} sang đó.",
    ],
    site: &[
        "Họ bắt đăng ký trên trang web {x}",
        "Trang web của công ty là {x}",
    ],
    facebook: &["Họ đăng tin tuyển người trên trang facebook.com/{x}"],
    hotline: &["Tôi đã gọi đường dây nóng {x} nhưng chưa thấy ai xử lý."],
    closing: &[
        "Xin hãy giúp đưa họ ra ngoài.",
        "Xin giúp chúng tôi, cả nhà rất lo lắng.",
        "Tôi sợ nên không dám để lại tên.",
    ],
};

const TH: Book = Book {
    rel: [
        &["พี่ชายฉัน", "ลูกชายฉัน", "สามีฉัน", "หลานชายฉัน"],
        &["น้องสาวฉัน", "ลูกสาวฉัน", "พี่สาวฉัน", "หลานสาวฉัน"],
    ],
    names: [
        &[
            "สมชาย",
            "สมศักดิ์",
            "อนุชา",
            "วิชัย",
            "ประเสริฐ",
            "ธนากร",
            "ณัฐพล",
            "กิตติ",
            "วีระ",
            "ศักดิ์ชัย",
        ],
        &[
            "สุดา",
            "นิภา",
            "มาลี",
            "พิมพ์ชนก",
            "อรุณี",
            "สุภาพร",
            "กัญญา",
            "วันเพ็ญ",
            "จันทร์เพ็ญ",
            "ปวีณา",
        ],
    ],
    weekdays: [
        "วันจันทร์",
        "วันอังคาร",
        "วันพุธ",
        "วันพฤหัสบดี",
        "วันศุกร์",
        "วันเสาร์",
        "วันอาทิตย์",
    ],
    goods: [
        "ก๋วยเตี๋ยว",
        "ผลไม้",
        "บัตรเติมเงิน",
        "กาแฟ",
        "น้ำมัน",
        "ข้าวสาร",
        "ผัก",
        "บุหรี่",
    ],
    place: "ตึก {c} ที่{h}",
    kinds: [
        (
            &[
                "{rel}ชื่อ {name} ถูกกักตัวอยู่ใน{place} ออกมาไม่ได้",
                "{rel} {name} ไปทำงานที่{place} ได้ {days} วันแล้ว ตอนนี้ถูกขังอยู่ข้างใน",
                "{rel} {name} แอบโทรมาหาฉันจาก{place} บอกว่าประตูล็อกตลอดและไม่มีใครออกไปได้",
            ],
            &[
                "{rel} {name} ถูกขังอยู่ในตึกนี้ และเขาเรียกเงินจากครอบครัว {usd} ดอลลาร์ถึงจะปล่อยตัว",
                "{name} ส่งตำแหน่งนี้มาให้ฉันเมื่อ {days} วันก่อน บอกว่าเขาขังทุกคนไว้ข้างใน",
                "{name} บอกว่า {days} วันมานี้ประตูล็อกตลอดและมียามเฝ้าทั้งกลางวันกลางคืน",
                "{weekday}ที่แล้ว {name} แอบส่งข้อความมาว่ามีคนจากแถวบ้านเรา {few} คนถูกขังอยู่ในห้องเดียวกัน",
            ],
        ),
        (
            &["พอ {name} ไปถึง{place} ก็ถูกยึดหนังสือเดินทางและโทรศัพท์"],
            &[
                "พวกเขายึดหนังสือเดินทางของ{rel}ตั้งแต่วันแรกและยังไม่คืนให้",
                "หัวหน้าเก็บพาสปอร์ตของคนงานทั้ง {n} คนไว้ และเรียกเงิน {usd} ดอลลาร์ถ้าจะเอาคืน",
            ],
        ),
        (
            &["คนงานใน{place} ถูกทำร้ายถ้าทำยอดไม่ถึง"],
            &[
                "{name} บอกว่าใครทำยอดไม่ถึงจะถูกตีด้วยไม้และถูกช็อตไฟฟ้า",
                "{name} บอกว่าสัปดาห์ที่แล้วมีคนงานคนหนึ่งถูกทำร้ายอย่างหนักเพราะพยายามหนี",
                "พวกเขาขู่ว่าจะขาย{rel}ให้บริษัทอื่นถ้าครอบครัวไม่จ่ายเงิน {usd} ดอลลาร์",
            ],
        ),
        (
            &["ใน{place} มีเด็กถูกใช้ให้ทำงานด้วย"],
            &[
                "{name} บอกว่าข้างในมีเด็กอย่างน้อย {few} คน บางคนดูอายุไม่เกิน 15 ปี",
                "{name} เห็นเด็กวัยรุ่นทั้งชายและหญิงนั่งทำงานกับโทรศัพท์ตอนกลางคืน",
            ],
        ),
        (
            &[
                "มีผู้ชายคนหนึ่งในหมู่บ้านเราชวนวัยรุ่นไปทำงานที่{place} ไปแล้ว {few} คน บางคนกลับมาไม่ได้",
                "{rel}ถูกชวนผ่านเฟซบุ๊กให้ไปทำงานที่{place} ครอบครัวติดต่อ{name}ไม่ได้มา {days} วันแล้ว",
            ],
            &[
                "มีผู้หญิงคนหนึ่งมาที่หมู่บ้าน เสนองานต่างประเทศ แล้วพาวัยรุ่น {few} คนขึ้นรถตู้คันเดียวกันไป",
                "คนชวนไปทำงานออกค่าเดินทางให้{name} และบอกว่าไม่ต้องใช้เอกสารอะไร",
            ],
        ),
        (
            &[
                "เขาสัญญากับ{name}ว่าจะได้เป็นแคชเชียร์ที่{place} เงินเดือน {usd} ดอลลาร์ มีที่พักและอาหารฟรี",
                "ประกาศบอกว่ารับพนักงานบริการลูกค้าที่{place} เงินเดือน {usd} ดอลลาร์ ไม่ต้องมีประสบการณ์ ออกค่าเดินทางให้",
            ],
            &[
                "งานที่เสนอมาบอกว่าได้เงินเดือน {usd} ดอลลาร์ ทำงานพิมพ์เอกสาร มีที่พักและอาหารให้",
                "พอไปถึงเขาบอก{name}ว่าต้องหลอกคนทางออนไลน์ ไม่ใช่งานที่สัญญาไว้",
            ],
        ),
        (
            &[
                "ฉันอยู่ใกล้{place} เห็นรถบัสขนชาวต่างชาติเข้าไปตอนดึก",
                "ที่{place} มีอะไรแปลก ๆ คนหนุ่มสาวหลายร้อยคนไม่เคยออกมาข้างนอก และมียามตรวจทุกคนที่ประตู",
            ],
            &[
                "ฉันขาย{goods}อยู่ฝั่งตรงข้าม {days} วันมานี้เห็นหน้าต่างมีลูกกรงและไม่เคยเห็นใครออกมาเลย",
                "คืน{weekday} ประมาณตี {hour} เพื่อนบ้านได้ยินเสียงตะโกนจากตึกนี้ และเห็นรถตู้ติดฟิล์มดำ {few} คัน",
                "{weekday}ที่แล้วฉันเห็นรถ {few} คันขนวัยรุ่นเข้าไปในตึกตอนตี {hour}",
                "ลูกพี่ลูกน้องของฉันเคยไปส่ง{goods}ที่นั่น {few} ครั้ง ทุกครั้งยามจะรับของที่ประตูแล้วไล่เขากลับ",
                "ตั้งแต่{weekday} ไฟเปิดทั้งคืน {few} ชั้น และฉันได้ยินเสียงคนร้องไห้",
                "มีคนอยู่ข้างในประมาณ {n} คน แต่ {days} วันมานี้ไม่มีใครออกมาซื้อ{goods}ที่ตลาดเลย",
            ],
        ),
    ],
    recruiter: &["นายหน้า {x} เป็นคนพา{name}มาที่นี่", "คนที่ส่ง{rel}ไปคือนายหน้า {x}"],
    site: &["ให้สมัครผ่านเว็บไซต์ {x}", "เว็บไซต์ของบริษัทคือ {x}"],
    facebook: &["เขาลงประกาศงานในเพจ facebook.com/{x}"],
    hotline: &["ฉันโทรสายด่วน {x} แล้วแต่ยังไม่มีความคืบหน้า"],
    closing: &[
        "ช่วยพาพวกเขาออกมาด้วย",
        "ช่วยเราด้วย ครอบครัวเป็นห่วงมาก",
        "ฉันกลัวเลยไม่กล้าบอกชื่อ",
    ],
};

fn book(lang: &str) -> &'static Book {
    match lang {
        "km" => &KM,
        "zh" => &ZH,
        "vi" => &VI,
        "th" => &TH,
        _ => &EN,
    }
}

/// Every template of `lang`, slots included (for checking texts against).
pub fn templates(lang: &str) -> Vec<&'static str> {
    let b = book(lang);
    let mut out = vec![b.place];
    for (a, p) in b.kinds {
        out.extend_from_slice(a);
        out.extend_from_slice(p);
    }
    for list in [b.recruiter, b.site, b.facebook, b.hotline, b.closing] {
        out.extend_from_slice(list);
    }
    out
}

/// The words a slot of `lang` may be filled with (relatives, names, days of
/// the week, goods).
pub fn slot_words(lang: &str) -> Vec<&'static str> {
    let b = book(lang);
    b.rel
        .iter()
        .chain(&b.names)
        .flat_map(|l| l.iter())
        .chain(&b.weekdays)
        .chain(&b.goods)
        .copied()
        .collect()
}

/// The kind of a tip from its danger flags (held, passports taken, violence,
/// children) and category.
pub(crate) fn kind_of(danger: [bool; 4], category: &str, rng: &mut Rng) -> Kind {
    let flagged = [Kind::Held, Kind::Passports, Kind::Violence, Kind::Children];
    if let Some(k) = danger.iter().zip(flagged).find(|(d, _)| **d).map(|x| x.1) {
        return k;
    }
    match category {
        "recruitment" if rng.below(2) == 0 => Kind::JobOffer,
        "recruitment" => Kind::Recruitment,
        "trafficking" => Kind::Held,
        _ => Kind::Suspicious,
    }
}

fn index(k: Kind) -> usize {
    match k {
        Kind::Held => 0,
        Kind::Passports => 1,
        Kind::Violence => 2,
        Kind::Children => 3,
        Kind::Recruitment => 4,
        Kind::JobOffer => 5,
        Kind::Suspicious => 6,
    }
}

/// Upper-cases the first letter (Latin scripts; others are left as they are).
fn capitalise(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

/// Writes the sentences of one tip: one relative, one kind, no template twice.
pub(crate) struct Reporter<'r> {
    rng: &'r mut Rng,
    book: &'static Book,
    rel: &'static str,
    name: &'static str,
    kind: Kind,
    /// The other kinds the tip's flags name, not written yet.
    more: Vec<Kind>,
    used: Vec<&'static str>,
    /// Sentences of the tip's own kind still to write.
    spare: usize,
}

impl<'r> Reporter<'r> {
    /// A reporter of a tip in `lang` with these flags and category.
    pub(crate) fn new(
        rng: &'r mut Rng,
        lang: &str,
        danger: [bool; 4],
        category: &str,
    ) -> Reporter<'r> {
        let book = book(lang);
        let kind = kind_of(danger, category, rng);
        let flagged = [Kind::Held, Kind::Passports, Kind::Violence, Kind::Children];
        let more = danger
            .iter()
            .zip(flagged)
            .filter(|(d, k)| **d && *k != kind)
            .map(|x| x.1)
            .collect();
        let woman = rng.below(2);
        let rel = book.rel[woman][rng.below(book.rel[woman].len())];
        let name = book.names[woman][rng.below(book.names[woman].len())];
        Reporter {
            rng,
            book,
            rel,
            name,
            kind,
            more,
            used: Vec::new(),
            spare: 1,
        }
    }

    /// A template of `list` not used yet in this tip (any when all are).
    fn pick(&mut self, list: &'static [&'static str]) -> &'static str {
        match self.fresh(list) {
            Some(t) => t,
            None => list[self.rng.below(list.len())],
        }
    }

    /// A template of `list` not used yet in this tip.
    fn fresh(&mut self, list: &'static [&'static str]) -> Option<&'static str> {
        let fresh: Vec<&'static str> = list
            .iter()
            .copied()
            .filter(|t| !self.used.contains(t))
            .collect();
        let t = *fresh.get(self.rng.below(fresh.len().max(1)))?;
        self.used.push(t);
        Some(t)
    }

    fn fill(&mut self, t: &str, place: &str, x: &str) -> String {
        let s = t
            .replace("{rel}", self.rel)
            .replace("{name}", self.name)
            .replace("{place}", place)
            .replace("{n}", &self.rng.range(20, 400).to_string())
            .replace("{few}", &self.rng.range(3, 12).to_string())
            .replace("{days}", &self.rng.range(4, 90).to_string())
            .replace("{usd}", &(self.rng.range(6, 40) * 100).to_string())
            .replace("{weekday}", self.book.weekdays[self.rng.below(7)])
            .replace("{goods}", self.book.goods[self.rng.below(8)])
            .replace("{hour}", &self.rng.range(1, 4).to_string())
            .replace("{x}", x);
        capitalise(s)
    }

    /// The place phrase of compound `compound` in hub `hub`.
    pub(crate) fn place(&self, compound: &str, hub: &str) -> String {
        self.book.place.replace("{c}", compound).replace("{h}", hub)
    }

    /// The first sentence: names `place` when given.
    pub(crate) fn opening(&mut self, place: Option<&str>) -> String {
        let (with, without) = self.book.kinds[index(self.kind)];
        match place {
            Some(p) => {
                let t = self.pick(with);
                self.fill(t, p, "")
            }
            None => {
                let t = self.pick(without);
                self.fill(t, "", "")
            }
        }
    }

    /// A sentence naming no place and no identifier: another kind the flags
    /// name; else, once per tip, more of the tip's own kind or what was seen;
    /// else nothing (empty). Few sentences each, so that unrelated reports
    /// share little text.
    pub(crate) fn detail(&mut self) -> String {
        while !self.more.is_empty() {
            let k = self.more.remove(0);
            if let Some(t) = self.fresh(self.book.kinds[index(k)].1) {
                return self.fill(t, "", "");
            }
        }
        if self.spare == 0 {
            return String::new();
        }
        self.spare -= 1;
        match [self.kind, Kind::Suspicious]
            .iter()
            .find_map(|k| self.fresh(self.book.kinds[index(*k)].1))
        {
            Some(t) => self.fill(t, "", ""),
            None => String::new(),
        }
    }

    /// The recruiter `x` (a handle or a number).
    pub(crate) fn recruiter(&mut self, x: &str) -> String {
        let t = self.pick(self.book.recruiter);
        self.fill(t, "", x)
    }

    /// The website `x` (the sentence ends with it).
    pub(crate) fn site(&mut self, x: &str) -> String {
        let t = self.pick(self.book.site);
        self.fill(t, "", x)
    }

    /// The Facebook page `x` (the sentence ends with it).
    pub(crate) fn facebook(&mut self, x: &str) -> String {
        let t = self.pick(self.book.facebook);
        self.fill(t, "", x)
    }

    /// The hotline number `x`.
    pub(crate) fn hotline(&mut self, x: &str) -> String {
        let t = self.pick(self.book.hotline);
        self.fill(t, "", x)
    }

    /// What a neighbour saw (empty once all is said).
    pub(crate) fn seen(&mut self) -> String {
        match self.fresh(self.book.kinds[index(Kind::Suspicious)].1) {
            Some(t) => self.fill(t, "", ""),
            None => String::new(),
        }
    }

    /// A plea or a word about the reporter, sometimes nothing.
    pub(crate) fn closing(&mut self) -> Option<String> {
        if self.rng.below(5) > 0 {
            return None;
        }
        let t = self.fresh(self.book.closing)?;
        Some(self.fill(t, "", ""))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_filled_and_identifiers_are_kept_as_written() {
        for lang in ["km", "en", "zh", "vi", "th"] {
            let mut rng = Rng::new(3);
            for k in 0..200 {
                let danger = [k % 2 == 0, k % 3 == 0, k % 5 == 0, k % 7 == 0];
                let category = ["recruitment", "trafficking", "other"][k % 3];
                let mut r = Reporter::new(&mut rng, lang, danger, category);
                let place = r.place("Golden Park 12", "X");
                let mut text = vec![r.opening(Some(&place)), r.opening(None), r.detail()];
                text.push(r.recruiter("@boss_jade9"));
                assert!(text.last().unwrap().contains("@boss_jade9"));
                text.push(r.site("www.jade.com"));
                assert!(text.last().unwrap().ends_with("www.jade.com"));
                let all = text.join(" ");
                assert!(!all.contains('{') && !all.contains('}'), "{all}");
                assert!(text[0].contains("Golden Park 12"), "{}", text[0]);
            }
        }
    }
}
