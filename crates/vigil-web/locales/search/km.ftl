# Staff search and an identifier's page: moving through pages of results
# (staff pages).
search-pages = ទំព័រលទ្ធផល
search-first-page = ទំព័រដំបូង
search-next-page = ទំព័របន្ទាប់
search-older-tips = ព័ត៌មានចាស់ជាងនេះ
search-newest-tips = ព័ត៌មានថ្មីបំផុត
