# The staff desk: the bar on every page, login, home, account, settings,
# first-run setup, and the desk's message pages.

## The bar at the top of every staff page.

desk-bar-logged-in-as = Signed in as
desk-bar-account = My account
desk-bar-logout = Sign out
