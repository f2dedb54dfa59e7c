# Staff search and an identifier's page: moving through pages of results
# (staff pages).
search-pages = Result pages
search-first-page = First page
search-next-page = Next page
search-older-tips = Older tips
search-newest-tips = Newest tips
