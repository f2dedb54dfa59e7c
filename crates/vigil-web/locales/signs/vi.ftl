# The signs messages (see i18n.rs, PUBLIC_PARTS).
# One title (`sign-<id>`) and one sentence (`sign-<id>-why`) per warning sign;
# the ids are those of crates/vigil-signs/rules/default.toml.

signs-version = Bộ quy tắc dấu hiệu cảnh báo, phiên bản { $version }

sign-pay-too-high = Lương cao bất thường so với công việc
sign-pay-too-high-why = Công việc không cần tay nghề hiếm khi trả lương cao như vậy; lương cao là mồi nhử phổ biến nhất để dụ người ra nước ngoài rồi đưa vào các khu lừa đảo.
sign-no-experience = Không cần kinh nghiệm
sign-no-experience-why = Hứa lương cao cho bất kỳ ai, không cần kỹ năng hay kinh nghiệm, là cách các đường dây tuyển người cho khu lừa đảo giăng lưới thật rộng.
sign-travel-paid = Được bao vé, visa hoặc chỗ ở
sign-travel-paid-why = Vé máy bay, visa hay chỗ ở "miễn phí" thường biến thành khoản nợ mà bạn bị buộc phải làm để trả, và không được rời đi cho đến khi trả hết.
sign-chat-app-only = Chỉ liên lạc qua ứng dụng nhắn tin
sign-chat-app-only-why = Nhà tuyển dụng thật có địa chỉ, số điện thoại và tên để bạn kiểm tra; người chỉ nói chuyện qua Telegram, WhatsApp, Line hay WeChat có thể biến mất bất cứ lúc nào.
sign-passport-kept = Đòi hoặc giữ hộ chiếu của bạn
sign-passport-kept-why = Không ai được quyền giữ hộ chiếu của bạn; chủ nào giữ hộ chiếu là có thể ngăn bạn rời đi.
sign-border-zone-job = Việc làm online ở thị trấn biên giới hoặc đặc khu kinh tế
sign-border-zone-job-why = Những việc "chăm sóc khách hàng", đánh máy hay bán hàng online ở Sihanoukville, Poipet, Bavet hay Myawaddy là vỏ bọc quen thuộc cho lao động cưỡng bức trong các khu lừa đảo.
sign-crypto-profit = Cam kết lợi nhuận hoặc lãi mỗi ngày
sign-crypto-profit-why = Không có khoản đầu tư thật nào bảo đảm ngày nào cũng có lãi; những lời hứa như vậy, thường tính bằng USDT, là cách lừa đảo đầu tư chiếm đoạt tiền tiết kiệm của bạn.
sign-task-scam = Được trả tiền để like, đánh giá hay "làm nhiệm vụ"
sign-task-scam-why = Trả tiền để thả tim video hay đánh giá sản phẩm là một cái bẫy: lúc đầu cho bạn chút tiền, sau đó bắt bạn nạp tiền để "mở khóa" thêm nhiệm vụ.
sign-upfront-fee = Đòi tiền trước khi bắt đầu làm
sign-upfront-fee-why = Công việc thật không bắt bạn nộp phí hay tiền cọc trước, cũng không trừ lương để bạn trả lại chi phí đi lại.
sign-urgency = Hối thúc quyết định hoặc lên đường ngay
sign-urgency-why = Kẻ lừa đảo hối thúc để bạn không kịp kiểm tra lời mời làm việc hay bàn bạc với gia đình.
sign-video-call = Gọi video riêng hoặc đòi bật camera
sign-video-call-why = Công an giả, sếp giả hay người yêu giả dùng cuộc gọi video riêng, đôi khi với khuôn mặt ghép, để gây sức ép và khiến câu chuyện của họ trông như thật.
