"""The matching engine: pure numpy/scipy (no Django), so the benchmark and the service
share one implementation. `engine.MatchIndex` holds postings as arrays and sparse
matrices and scores seekers against their candidate postings in vectorised blocks."""
