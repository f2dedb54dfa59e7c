# The exit-screening desk, worked from the keyboard.
desk-keys-hint = Keys: Tab moves to the next field. In a list, press the letter shown before each choice (the letters are also shown after each label). Choose the post by typing its code. Answer the passport question with the arrow keys or Space. Enter screens the traveller from any field.
desk-post-keys = type the code
desk-yes = Yes
desk-no = No
desk-error-passport = Passport: answer yes or no.
