"""Documents in: files people already have (DOCX, XLSX, PDF, text) become reviewable drafts.

read (readers.read_document) → SourceDoc of blocks → classify and parse (metadata, indicator
tables, task tables, prose targets, progress reports) → Draft (interchange rows + flagged cells)
→ review → apply through plans.services / reporting.services.
"""
