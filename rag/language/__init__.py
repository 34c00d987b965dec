"""Language resources that hold for any notice: script conversion, general word weights, an English–Chinese
dictionary. What a notice itself says never lives here; the dictionary is filtered to a notice's words."""
