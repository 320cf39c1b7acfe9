/**
 * Loads `.env` into process.env for the programs' entry points (the server and the CLIs), quietly: dotenv
 * 17+ prints a line on every load by default, which would mix into the terminal chat and the CLIs' output.
 * Variables already set in the environment win over the file.
 */
import dotenv from 'dotenv';

dotenv.config({ quiet: true });
