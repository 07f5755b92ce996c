"""Participation rounds ("Beteiligung"): the rules for rounds and contributions and their
evaluation (`rounds`), and the map pieces of a round (`maplayers`). Storage lives in the store.
"""
