export const roleOptions = [
	{ value: 'member', label: 'Member' },
	{ value: 'security', label: 'Security' },
	{ value: 'leadership', label: 'Leadership' },
	{ value: 'admin', label: 'Admin' }
] as const;
