# Words every page shares: the layout, the language switch.

skip-to-content = Aller au contenu
# The name of the other language, written in that language, on the switch.
other-lang-name = English

## A form the server could not read at all (before any page could check
## it): too large, or not a form.

form-too-large-title = Formulaire trop volumineux
form-too-large-body = Le formulaire envoyé dépasse la taille que ce service accepte. Rien n'a été enregistré. Utilisez le bouton « Précédent » de votre navigateur : le texte saisi y est encore ; raccourcissez-le puis envoyez-le de nouveau.
form-unreadable-title = Formulaire illisible
form-unreadable-body = Le formulaire envoyé n'a pas pu être lu. Rien n'a été enregistré. Revenez en arrière et envoyez-le de nouveau.
# A path, header or form holding a NUL character (which no person types).
request-nul-title = Demande refusée
request-nul-body = L'adresse ou le formulaire envoyé contient un caractère non autorisé (un caractère nul). Rien n'a été enregistré. Revenez en arrière et réessayez sans ce caractère.
go-back = Revenir au formulaire
# The header of a page that belongs to no city and no desk page.
site-name = Demandes RGPD
