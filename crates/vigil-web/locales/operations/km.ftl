# Planning a raid by names (places and facilities) and the seized items'
# numbers: staff pages, Khmer and English.
opsx-narrow = បង្ហាញស្រុក ឃុំ និងទីតាំងសង្ស័យខាងក្នុង
opsx-narrow-hint = ជ្រើសរើសខេត្ត ឬវាយឈ្មោះទីកន្លែង ហើយចុច «បង្ហាញស្រុក ឃុំ និងទីតាំងសង្ស័យខាងក្នុង» ដើម្បីជ្រើសរើសស្រុក បន្ទាប់មកឃុំ។ អ្វីដែលអ្នកបានសរសេរនឹងនៅដដែល។
opsx-place-words = ទីកន្លែងជាពាក្យ (អគារ ឬសញ្ញាសម្គាល់)
opsx-facilities-hint = គូសធីកទីតាំងសង្ស័យដែលប្រតិបត្តិការនេះសំដៅលើ៖ ទីតាំងក្នុងខេត្តដែលបានជ្រើសរើស អាទិភាពខ្ពស់មុន។
opsx-no-facilities = មិនទាន់ស្គាល់ទីតាំងសង្ស័យណាមួយក្នុងខេត្តនេះនៅឡើយទេ។
opsx-facility-context = ព័ត៌មាន { $tips } · អាទិភាព { $priority }
opsx-item-number = លេខវត្ថុតាង
opsx-place-name = ឬវាយឈ្មោះទីកន្លែង
opsx-place-name-hint = ជាភាសាខ្មែរ ជាភាសាអង់គ្លេស ឬតាមអក្ខរាវិរុទ្ធដែលគេតែងសរសេរ។
opsx-place-not-found = រកមិនឃើញទីកន្លែងណាមួយក្នុងខេត្តរបស់អ្នកដែលមានឈ្មោះនេះទេ៖ សូមជ្រើសរើសពីបញ្ជី។
