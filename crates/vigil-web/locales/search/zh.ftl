# Staff search and an identifier's page: moving through pages of results
# (staff pages).
search-pages = 结果页
search-first-page = 第一页
search-next-page = 下一页
search-older-tips = 更早的线索
search-newest-tips = 最新的线索
