# The staff desk: the bar on every page, login, home, account, settings,
# first-run setup, and the desk's message pages.

## The bar at the top of every staff page.

desk-bar-logged-in-as = Connecté(e) en tant que
desk-bar-account = Mon compte
desk-bar-logout = Se déconnecter
