# Staff search and an identifier's page: moving through pages of results
# (staff pages).
search-pages = Các trang kết quả
search-first-page = Trang đầu
search-next-page = Trang tiếp
search-older-tips = Tin báo cũ hơn
search-newest-tips = Tin báo mới nhất
