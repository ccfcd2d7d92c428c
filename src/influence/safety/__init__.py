"""Brand safety: the policy, its checks, the account report and the evaluation."""
