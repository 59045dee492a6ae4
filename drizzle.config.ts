import { defineConfig } from 'drizzle-kit';

// drizzle-kit runs outside Vite, so it reads process.env itself. Generating
// migrations needs no database: `npm run db:generate` diffs the schema.
export default defineConfig({
	schema: './src/lib/server/db/schema.ts',
	out: './drizzle',
	dialect: 'postgresql',
	dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/rampart' },
	strict: true,
	verbose: true
});
