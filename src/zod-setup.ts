import { z } from 'zod';

// One wording for a missing field everywhere (config, webhooks, modals): "is required", not zod's type jargon.
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});
