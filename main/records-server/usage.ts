/** `muster records-server …` in one screen; main/cli.ts prints it without loading the server's code. */
export const RECORDS_SERVER_USAGE = `usage:
  muster records-server init   --database URL [--department FILE] [--export-profiles FILE]
  muster records-server enrol  --database URL --room NAME [--public-url URL]
  muster records-server revoke --database URL --room NAME
  muster records-server staff  --database URL --name NAME [--public-url URL]
  muster records-server serve  --database URL [--port 8090] [--host 0.0.0.0] [--secure-cookie]
  (or set MUSTER_RECORDS_DATABASE instead of --database)`;
