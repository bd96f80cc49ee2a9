"""What employees and their atasan do: register, report, review, rate, score, propose, summaries."""
