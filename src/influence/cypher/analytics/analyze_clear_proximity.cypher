// Remove User.proximityCommunity everywhere (before a new run: users without traits get none).
// No parameters.
MATCH (u:User)
WHERE u.proximityCommunity IS NOT NULL
REMOVE u.proximityCommunity
