# Staff search and an identifier's page: moving through pages of results
# (staff pages).
search-pages = หน้าผลการค้นหา
search-first-page = หน้าแรก
search-next-page = หน้าถัดไป
search-older-tips = เบาะแสที่เก่ากว่า
search-newest-tips = เบาะแสล่าสุด
