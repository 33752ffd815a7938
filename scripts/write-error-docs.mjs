// Writes docs/errors.md from src/errors/error-codes.ts (run: npm run docs:errors).
import { writeGeneratedDoc } from "./write-generated-doc.mjs";

await writeGeneratedDoc("src/errors/render-error-docs.ts", "renderErrorDocs", "docs/errors.md");
