"""Importing the prefecture's designated-company list and other company lists (CSV or XLSX).

reader → headers/mapping → preview (clean, classify, store `ImportRow`s) → the user resolves
ambiguous rows → commit (one transaction). The command `import_companies` and the views in
`views_import.py` drive the same services.
"""
