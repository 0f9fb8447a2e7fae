"""Statistics over variables: cov, corrcoef."""
