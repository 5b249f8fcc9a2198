"""Pure computation: ingestion, canonical tables and the analysis tools. No UI, LLM or network imports."""
