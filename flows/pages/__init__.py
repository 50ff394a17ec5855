"""Page objects of `flows/`: one module per page, dialog or widget of the portal a person sees, located by
visible text, labels and table headers. Only the flows of `flows/` compose them.
"""
