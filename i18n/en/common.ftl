# Words every page shares: the layout, the language switch.

skip-to-content = Skip to content
# The name of the other language, written in that language, on the switch.
other-lang-name = Français

## A form the server could not read at all (before any page could check
## it): too large, or not a form.

form-too-large-title = Form too large
form-too-large-body = The form you sent is larger than this service accepts. Nothing was saved. Use your browser's Back button: what you typed is still there; shorten it and send it again.
form-unreadable-title = Form could not be read
form-unreadable-body = The form you sent could not be read. Nothing was saved. Go back and send it again.
# A path, header or form holding a NUL character (which no person types).
request-nul-title = Request not accepted
request-nul-body = The address or the form you sent contains a character that is not allowed (a null character). Nothing was saved. Go back and try again without it.
go-back = Back to the form
# The header of a page that belongs to no city and no desk page.
site-name = GDPR requests
