/** The sample organisation: plain data, so later features can extend it and tests can count on it. */
export interface DemoPerson {
	name: string;
	email: string;
	role: 'admin' | 'security' | 'leadership' | 'member';
}

export interface DemoTeam {
	name: string;
	slug: string;
	unit: string;
	description: string;
	members: { email: string; role: 'lead' | 'member'; champion: boolean }[];
}

const departments = [
	{ name: 'Digital Products', units: ['Payments', 'Customer Experience'] },
	{ name: 'Platform Engineering', units: ['Infrastructure', 'Data'] },
	{ name: 'Corporate IT', units: ['Internal Tools'] }
];

const teamSpecs: [name: string, unit: string, description: string][] = [
	['Payments API', 'Payments', 'Card and wallet payment APIs.'],
	['Checkout Web', 'Payments', 'The checkout front end.'],
	['Fraud Detection', 'Payments', 'Real-time fraud scoring.'],
	['Mobile App', 'Customer Experience', 'iOS and Android apps.'],
	['Customer Portal', 'Customer Experience', 'Self-service account pages.'],
	['Notifications', 'Customer Experience', 'Email, SMS and push delivery.'],
	['Cloud Platform', 'Infrastructure', 'Kubernetes clusters and shared CI.'],
	['Identity', 'Infrastructure', 'Single sign-on and access management.'],
	['Data Pipeline', 'Data', 'Event ingestion and the warehouse.'],
	['Analytics', 'Data', 'Dashboards and reporting for the business.'],
	['HR Systems', 'Internal Tools', 'Internal HR and payroll integrations.'],
	['Finance Integrations', 'Internal Tools', 'ERP connectors and invoicing.']
];

const firstNames = [
	'Ada',
	'Ben',
	'Chloé',
	'Dev',
	'Elif',
	'Farid',
	'Grace',
	'Hiro',
	'Ines',
	'Jonas',
	'Kemi',
	'Lars',
	'Maya',
	'Nikos',
	'Olga',
	'Priya',
	'Quinn',
	'Rosa',
	'Sami',
	'Tomás',
	'Uma',
	'Viktor',
	'Wen',
	'Yara'
];

const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Builds the sample: 3 departments, 5 business units, 12 teams, 28 people with every role. */
export function demoOrganisation() {
	const people: DemoPerson[] = [
		{ name: 'Alex Admin', email: 'admin@demo.rampart.test', role: 'admin' },
		{ name: 'Sam Security', email: 'security@demo.rampart.test', role: 'security' },
		{ name: 'Sasha Secops', email: 'secops@demo.rampart.test', role: 'security' },
		{ name: 'Lee Leadership', email: 'cto@demo.rampart.test', role: 'leadership' }
	];
	const teams: DemoTeam[] = teamSpecs.map(([name, unit, description], i) => {
		const lead = firstNames[(i * 2) % firstNames.length]!;
		const member = firstNames[(i * 2 + 1) % firstNames.length]!;
		const slug = slugOf(name);
		const leadEmail = `${lead
			.toLowerCase()
			.normalize('NFD')
			.replace(/[^a-z]/g, '')}.${slug}@demo.rampart.test`;
		const memberEmail = `${member
			.toLowerCase()
			.normalize('NFD')
			.replace(/[^a-z]/g, '')}.${slug}@demo.rampart.test`;
		people.push({ name: `${lead} (${name} lead)`, email: leadEmail, role: 'member' });
		people.push({ name: `${member} (${name})`, email: memberEmail, role: 'member' });
		// Every third team has no champion, so the reports have gaps to show.
		return {
			name,
			slug,
			unit,
			description,
			members: [
				{ email: leadEmail, role: 'lead', champion: false },
				{ email: memberEmail, role: 'member', champion: i % 3 !== 2 }
			]
		};
	});
	return { departments, people, teams };
}
