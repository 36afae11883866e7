"""The park workbook: template, reader, validation and annotation (see carbon.ledger for the Ledger)."""
