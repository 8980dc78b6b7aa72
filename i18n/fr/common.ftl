# Words every page shares: the layout, the language switch.

skip-to-content = Aller au contenu
# The name of the other language, written in that language, on the switch.
other-lang-name = English
