# The signs messages (see i18n.rs, PUBLIC_PARTS).
# One title (`sign-<id>`) and one sentence (`sign-<id>-why`) per warning sign;
# the ids are those of crates/vigil-signs/rules/default.toml.

signs-version = Warning-sign rules { $version }

sign-pay-too-high = Pay far above the job
sign-pay-too-high-why = Work that needs no skills rarely pays this much; a high salary is the most common bait used to lure people abroad into scam compounds.
sign-no-experience = No experience needed
sign-no-experience-why = Promising good pay to anyone, with no skills or experience, is how recruiters for scam compounds cast a wide net.
sign-travel-paid = Travel, visa or housing paid for you
sign-travel-paid-why = "Free" tickets, visas or housing often turn into a debt you are made to work off, and you are not allowed to leave until it is paid.
sign-chat-app-only = Contact only through a chat app
sign-chat-app-only-why = A real employer has an address, a phone number and a name you can check; a recruiter who only talks on Telegram, WhatsApp, Line or WeChat can vanish at any moment.
sign-passport-kept = Your passport is asked for or kept
sign-passport-kept-why = Nobody may keep your passport; an employer who holds it can stop you from leaving.
sign-border-zone-job = Online job in a border town or special zone
sign-border-zone-job-why = "Customer service", typing or online sales jobs in places such as Sihanoukville, Poipet, Bavet or Myawaddy are a well-known cover for forced work in scam compounds.
sign-crypto-profit = Guaranteed or daily profit from an investment
sign-crypto-profit-why = No real investment guarantees a profit every day; promises like this, often in USDT, are how investment scams take people's savings.
sign-task-scam = Paid to like, review or do "tasks"
sign-task-scam-why = Being paid to like videos or rate products is a trap: small payments at first, then you are asked to deposit money to "unlock" more tasks.
sign-upfront-fee = Money asked before you start
sign-upfront-fee-why = A real job does not make you pay fees or deposits first, or pay back travel costs out of your wages.
sign-urgency = Pressure to decide or leave now
sign-urgency-why = Scammers rush you so that you have no time to check the offer or talk it over with your family.
sign-video-call = Private video call or camera request
sign-video-call-why = Fake police officers, bosses or lovers use private video calls, sometimes with faked faces, to pressure you and make their story look real.
