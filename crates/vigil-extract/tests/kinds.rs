//! One table per kind, traps included, in every script and digit system.

use vigil_extract::{Kind, extract};

/// Asserts that extracting `kind` from `text` gives exactly `want` (values, in order),
/// and that every span slices the original text.
fn check(kind: Kind, text: &str, want: &[&str]) {
    let found = extract(text);
    for f in &found {
        assert!(
            text.get(f.start..f.end).is_some(),
            "bad span {f:?} in {text:?}"
        );
    }
    let got: Vec<&str> = found
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| f.value.as_str())
        .collect();
    assert_eq!(got, want, "{} in {text:?}: {found:#?}", kind.as_str());
}

#[test]
fn phone() {
    let t = &[
        ("012 345 678", &["+85512345678"][..]),
        ("+855 12 345 678", &["+85512345678"]),
        ("855-12-345678", &["+85512345678"]),
        ("(+855) 12345678", &["+85512345678"]),
        ("+855 (0)12 345 678", &["+85512345678"]),
        ("០១២ ៣៤៥ ៦៧៨", &["+85512345678"]),
        ("097 123 4567", &["+855971234567"]),
        ("call 00855 97 123 4567 now", &["+855971234567"]),
        ("๐๑๒ ๓๔๕ ๖๗๘", &["+85512345678"]),
        ("໐໑໒ ໓໔໕ ໖໗໘", &["+85512345678"]),
        ("၀၁၂ ၃၄၅ ၆၇၈", &["+85512345678"]),
        ("０１２ ３４５ ６７８", &["+85512345678"]),
        ("tel: 012.345.678", &["+85512345678"]),
        ("老板电话13812345678找他", &["+8613812345678"]),
        ("+86 138 1234 5678", &["+8613812345678"]),
        ("Số điện thoại +84 912 345 678", &["+84912345678"]),
        ("เบอร์ +66 81 234 5678", &["+66812345678"]),
        ("+95 9 212 3456", &["+9592123456"]),
        ("+63 905 123 4567", &["+639051234567"]),
        ("+60 12-345 6789", &["+60123456789"]),
        ("+62 812-345-678", &["+62812345678"]),
        ("+82 10-2000-0000", &["+821020000000"]),
        ("+856 20 23 123 456", &["+8562023123456"]),
        (
            "two numbers 012 345 678 097 123 4567",
            &["+85512345678", "+855971234567"],
        ),
        ("012345678/097123456", &["+85512345678", "+85597123456"]),
        // Traps.
        ("on 12/05/2025 at 10:30", &[]),
        ("born 2024-03-15", &[]),
        ("15.03.2024", &[]),
        ("salary $1,500 or 1,500 USDT", &[]),
        ("ages 18-35 only", &[]),
        ("room 305", &[]),
        ("invoice 85512345678", &[]),
        ("Order No. 13812345678", &[]),
        ("订单号：13812345678", &[]),
        ("12345678", &[]),
        ("+855 12 345", &[]),
        ("salary 1500000 VND", &[]),
        ("order 2024031512345678", &[]),
    ];
    for (text, want) in t {
        check(Kind::Phone, text, want);
    }
}

#[test]
fn email() {
    check(
        Kind::Email,
        "mail Bob.Smith@Gmail.COM now",
        &["bob.smith@gmail.com"],
    );
    check(
        Kind::Email,
        "alice [at] yahoo [dot] com",
        &["alice@yahoo.com"],
    );
    check(Kind::Email, "alice[@]yahoo[.]com", &["alice@yahoo.com"]);
    check(
        Kind::Email,
        "hr(at)jobs-asia(dot)com",
        &["hr@jobs-asia.com"],
    );
    check(Kind::Email, "邮箱abc123@qq.com联系", &["abc123@qq.com"]);
    check(Kind::Email, "meet (at) noon", &[]);
    check(Kind::Email, "user@localhost", &[]);
}

#[test]
fn url_and_domain() {
    check(
        Kind::Url,
        "hxxps://jobs-asia[.]com/apply?x=1.",
        &["https://jobs-asia.com/apply?x=1"],
    );
    check(
        Kind::Url,
        "go to www.Example.COM.kh/path, now",
        &["http://www.example.com.kh/path"],
    );
    check(Kind::Url, "HTTP://Foo.Bar.io", &["http://foo.bar.io"]);
    check(
        Kind::Url,
        "hxxp://evil(.)site[:]8080/x",
        &["http://evil.site:8080/x"],
    );
    check(
        Kind::Url,
        "(see https://a.example.org/p)",
        &["https://a.example.org/p"],
    );
    check(Kind::Url, "bare jobs-asia.com", &[]);
    check(Kind::Domain, "bare jobs-asia.com", &["jobs-asia.com"]);
    check(Kind::Domain, "https://shop.x.com.kh/a", &["x.com.kh"]);
    check(Kind::Domain, "www.xn--e1afmkfd.xn--p1ai/", &["пример.рф"]);
    check(Kind::Domain, "http://xn--e1afmkfd.com", &["пример.com"]);
    check(Kind::Domain, "Mr.Li and Poipet.Then and e.g. file.txt", &[]);
    check(Kind::Domain, "hello.world", &["hello.world"]);
}

#[test]
fn links_as_phishers_write_them() {
    // Userinfo: the host is what follows `@`; no e-mail address is read.
    let trick = "login at https://your-bank.com.kh@evil-login.top/verify now";
    check(Kind::Url, trick, &["https://evil-login.top/verify"]);
    check(Kind::Email, trick, &[]);
    check(Kind::Domain, trick, &["evil-login.top"]);
    // IP hosts, v4 and v6, with ports; no domain.
    let ip = "http://192.168.1.10:8080/admin and https://[2001:DB8::1]:8443/x";
    check(
        Kind::Url,
        ip,
        &[
            "http://192.168.1.10:8080/admin",
            "https://[2001:db8::1]:8443/x",
        ],
    );
    check(Kind::Domain, ip, &[]);
    check(Kind::Url, "http://999.1.1.1/x", &[]);
    // Internationalised hosts: Unicode and punycode are one value.
    let unicode = "pay at https://ạba.com.kh/login today";
    check(Kind::Url, unicode, &["https://ạba.com.kh/login"]);
    check(Kind::Domain, unicode, &["ạba.com.kh"]);
    let puny = idna::domain_to_ascii("ạba.com.kh").expect("punycode");
    check(
        Kind::Url,
        &format!("https://{puny}/login"),
        &["https://ạba.com.kh/login"],
    );
    // A destination percent-encoded in a redirector's query.
    check(
        Kind::Url,
        "https://t.co/r?url=http%3A%2F%2Fevil-login.top%2Fpay%3Fid%3D7&x=1",
        &[
            "http://evil-login.top/pay?id=7",
            "https://t.co/r?url=http%3A%2F%2Fevil-login.top%2Fpay%3Fid%3D7&x=1",
        ],
    );
    // Parentheses: closing ones belong to the sentence unless the link
    // opened them.
    check(
        Kind::Url,
        "(https://evil-login.top)",
        &["https://evil-login.top"],
    );
    check(
        Kind::Url,
        "(see https://evil-login.top/pay)).",
        &["https://evil-login.top/pay"],
    );
    check(
        Kind::Url,
        "(https://en.wikipedia.org/wiki/Foo_(bar)).",
        &["https://en.wikipedia.org/wiki/Foo_(bar)"],
    );
}

#[test]
fn link_warnings_name_what_deceives() {
    use vigil_extract::{Detail, LinkWarning as W};
    let warnings = |text: &str| -> Vec<(String, Vec<W>)> {
        extract(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Url)
            .map(|f| match f.detail {
                Some(Detail::Link { warnings }) => (f.value, warnings),
                _ => (f.value, Vec::new()),
            })
            .collect()
    };
    assert_eq!(
        warnings("https://your-bank.com.kh@evil-login.top/"),
        vec![("https://evil-login.top/".to_string(), vec![W::Userinfo])]
    );
    assert_eq!(
        warnings("http://10.0.0.1/x"),
        vec![("http://10.0.0.1/x".to_string(), vec![W::IpHost])]
    );
    assert_eq!(
        warnings("https://ạba.com.kh/"),
        vec![("https://ạba.com.kh/".to_string(), vec![W::International])]
    );
    assert_eq!(
        warnings("https://aba.com.kh/"),
        vec![("https://aba.com.kh/".to_string(), vec![])]
    );
    let nested = warnings("https://t.co/r?u=https%3A%2F%2F1.2.3.4%2Fp");
    let inner = nested
        .iter()
        .find(|(v, _)| v == "https://1.2.3.4/p")
        .expect("the nested link");
    assert_eq!(inner.1, vec![W::IpHost, W::Nested]);
    // The JSON names them.
    let json = serde_json::to_string(&extract("http://10.0.0.1/x")).expect("json");
    assert!(json.contains(r#""warnings":["ip_host"]"#), "{json}");
}

#[test]
fn telegram() {
    check(Kind::Telegram, "t.me/RecruiterKH", &["recruiterkh"]);
    check(
        Kind::Telegram,
        "https://telegram.me/s/JobsNow24",
        &["jobsnow24"],
    );
    check(
        Kind::Telegram,
        "contact @Scam_Boss99 today",
        &["scam_boss99"],
    );
    check(Kind::Telegram, "Telegram: boss_kh", &["boss_kh"]);
    check(Kind::Telegram, "飞机：@ming_888", &["ming_888"]);
    check(Kind::Telegram, "email bob@gmail.com", &[]);
    check(Kind::Telegram, "t.me/joinchat/AAAAAE", &[]);
    check(Kind::Telegram, "t.me/+AbCdEfGh", &[]);
    check(Kind::Telegram, "@abc", &[]);
    check(Kind::Telegram, "join our Telegram group", &[]);
    check(Kind::Telegram, "they use Telegram guards watch us", &[]);
    check(Kind::Telegram, "Telegram website", &[]);
    check(Kind::Telegram, "Telegram kefu_888 now", &["kefu_888"]);
    check(Kind::Telegram, "Telegram: sokhachan", &["sokhachan"]);
    check(
        Kind::Telegram,
        "Telegram: https://t.me/+AbCdEfGhIjK and @ming_recruit",
        &["ming_recruit"],
    );
    check(
        Kind::Url,
        "Telegram: https://t.me/+AbCdEfGhIjK",
        &["https://t.me/+AbCdEfGhIjK"],
    );
    check(Kind::Telegram, "Telegram: t.me/boss_kh", &["boss_kh"]);
}

#[test]
fn messengers_and_social() {
    check(Kind::Whatsapp, "wa.me/85512345678", &["+85512345678"]);
    check(
        Kind::Whatsapp,
        "WhatsApp: +66 81 234 5678",
        &["+66812345678"],
    );
    check(
        Kind::Whatsapp,
        "api.whatsapp.com/send?phone=8613812345678",
        &["+8613812345678"],
    );
    check(Kind::Line, "Line ID: nong_dao", &["nong_dao"]);
    check(Kind::Line, "line.me/ti/p/~Nong.Dao", &["nong.dao"]);
    check(Kind::Line, "ไลน์: nongdao99", &["nongdao99"]);
    check(Kind::Line, "stand in line to pay", &[]);
    check(Kind::Wechat, "WeChat: Boss_888", &["boss_888"]);
    check(Kind::Wechat, "微信：wxid_abc123", &["wxid_abc123"]);
    check(Kind::Wechat, "vx abc_888", &["abc_888"]);
    check(Kind::Wechat, "微信 13812345678", &["+8613812345678"]);
    check(Kind::Wechat, "add me on wechat please", &[]);
    check(Kind::Zalo, "Zalo 0912 345 678", &["+84912345678"]);
    check(Kind::Zalo, "zalo.me/84912345678", &["+84912345678"]);
    check(Kind::Facebook, "fb.com/john.doe.123", &["john.doe.123"]);
    check(
        Kind::Facebook,
        "https://m.facebook.com/profile.php?id=100012345678",
        &["100012345678"],
    );
    check(Kind::Facebook, "facebook.com/groups/123", &[]);
    check(Kind::Tiktok, "tiktok.com/@Boss.KH", &["boss.kh"]);
    check(Kind::Instagram, "instagram.com/jane_doe", &["jane_doe"]);
    check(Kind::Instagram, "IG: @jane_doe", &["jane_doe"]);
    check(Kind::Instagram, "IG @jane_doe", &["jane_doe"]);
    check(Kind::Line, "ไลน์ไอดี: somchai_88", &["somchai_88"]);
    check(Kind::Telegram, "IG: @jane_doe", &[]);
}

#[test]
fn crypto_wallet() {
    check(
        Kind::CryptoWallet,
        "USDT TRC20: TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r",
        &["TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r"],
    );
    check(
        Kind::CryptoWallet,
        "TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg31",
        &[],
    );
    check(
        Kind::CryptoWallet,
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        &["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
    );
    check(
        Kind::CryptoWallet,
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        &[],
    );
    check(
        Kind::CryptoWallet,
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        &["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
    );
    check(
        Kind::CryptoWallet,
        "BTC 12KYrjTdVGjFMtaxERSk3gphreJ5US8aUP",
        &["12KYrjTdVGjFMtaxERSk3gphreJ5US8aUP"],
    );
    check(
        Kind::CryptoWallet,
        "3NJZLcZEEYBpxYEUGewU4knsQRn1WM5Fkt",
        &["3NJZLcZEEYBpxYEUGewU4knsQRn1WM5Fkt"],
    );
    check(
        Kind::CryptoWallet,
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        &["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"],
    );
    check(
        Kind::CryptoWallet,
        "钱包地址：TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r。",
        &["TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r"],
    );
    // Monero: the project's published general fund address; one character
    // changed is no address.
    let xmr = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
    check(
        Kind::CryptoWallet,
        &format!("send XMR to {xmr}, then call"),
        &[xmr],
    );
    check(Kind::CryptoWallet, &xmr.replace("EP3A", "EP3B"), &[]);
}

#[test]
fn bank_card() {
    check(
        Kind::BankCard,
        "card 4111 1111 1111 1111",
        &["4111111111111111"],
    );
    check(Kind::BankCard, "4111-1111-1111-1111", &["4111111111111111"]);
    check(
        Kind::BankCard,
        "ABA card 4111111111111111",
        &["4111111111111111"],
    );
    check(
        Kind::BankCard,
        "Visa: 4111111111111111",
        &["4111111111111111"],
    );
    check(Kind::BankCard, "银行卡6222020200112233445", &[]);
    check(Kind::BankCard, "IMEI 356938035643809", &[]);
    check(Kind::BankCard, "356938035643809", &[]);
    check(Kind::BankCard, "4111 1111 1111 1112", &[]);
    check(Kind::BankCard, "order 4111111111111111", &[]);
}

#[test]
fn iban() {
    check(
        Kind::Iban,
        "IBAN GB82 WEST 1234 5698 7654 32 ok",
        &["GB82WEST12345698765432"],
    );
    check(
        Kind::Iban,
        "DE89370400440532013000",
        &["DE89370400440532013000"],
    );
    check(Kind::Iban, "GB82 WEST 1234 5698 7654 33", &[]);
}

#[test]
fn coordinates() {
    check(
        Kind::Coordinates,
        "at 11.556400, 104.928200",
        &["11.556400,104.928200"],
    );
    check(
        Kind::Coordinates,
        "11.5564° N, 104.9282° E",
        &["11.556400,104.928200"],
    );
    check(
        Kind::Coordinates,
        "11°33'23.0\"N 104°55'41.0\"E",
        &["11.556389,104.928056"],
    );
    check(
        Kind::Coordinates,
        "https://www.google.com/maps/@11.5564,104.9282,15z",
        &["11.556400,104.928200"],
    );
    check(
        Kind::Coordinates,
        "https://maps.google.com/?q=10.6104,103.5284",
        &["10.610400,103.528400"],
    );
    check(
        Kind::Coordinates,
        "https://maps.apple.com/?ll=13.3633,103.8564",
        &["13.363300,103.856400"],
    );
    check(
        Kind::Coordinates,
        "https://www.openstreetmap.org/#map=17/10.6104/103.5284",
        &["10.610400,103.528400"],
    );
    check(
        Kind::Coordinates,
        "plus code 7P36HW4H+H7",
        &["11.556438,104.928188"],
    );
    check(Kind::Coordinates, "price 11.55, 104.92", &[]);
    check(Kind::Coordinates, "99.123456, 200.123456", &[]);
}

#[test]
fn place() {
    check(
        Kind::Place,
        "taken to Sihanoukville then Bavet",
        &["18", "2008"],
    );
    check(
        Kind::Place,
        "Poipet, O'Smach and Phnom Penh",
        &["0110", "220405", "12"],
    );
    check(Kind::Place, "ខេត្តព្រះសីហនុ", &["18"]);
    check(Kind::Place, "在西港的园区", &["18"]);
    check(Kind::Place, "battambang", &["02"]);
    check(Kind::Place, "kep it simple", &[]);
    check(Kind::Place, "the chan family", &[]);
}
