/** The cold-start baseline: a hello-world Functions Framework function. */
import * as functions from '@google-cloud/functions-framework';

functions.http('hello', (_req, res) => {
  res.send('hello');
});
