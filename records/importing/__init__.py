"""Reading tabular files (CSV in any common Chinese encoding, XLSX) into rows for importers."""
