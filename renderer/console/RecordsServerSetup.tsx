import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { RecordsServerSetup as Setup } from '../../shared/records-server';

interface Props {
  token: string;
}

/**
 * The academy records server: paste the line `muster records-server enrol` printed for this
 * console, and its records flow there whenever the academy network is reachable (never while a
 * question is open). The credential is kept in the keychain (desktop app) or an owner-only file.
 */
export function RecordsServerSetup({ token }: Props) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');

  const call = useCallback(
    (method: 'GET' | 'PUT' | 'DELETE', body?: unknown) =>
      fetch('/api/records-server', {
        method,
        headers: {
          'X-Muster-Token': token,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      }).then(async (r) => {
        const j = (await r.json()) as Setup & { message?: string };
        if (!r.ok) throw new Error(j.message ?? `HTTP ${r.status}`);
        setSetup(j);
        setError('');
      }),
    [token],
  );
  useEffect(() => {
    call('GET').catch((e: Error) => setError(e.message));
  }, [call]);

  const enrol = (e: FormEvent) => {
    e.preventDefault();
    call('PUT', { url: url.trim() }).then(
      () => setUrl(''),
      (err: Error) => setError(err.message),
    );
  };

  return (
    <section className="panel records-server" aria-labelledby="records-server-h">
      <h2 id="records-server-h">Records server</h2>
      {setup?.enrolled ? (
        <>
          <p>
            Sends this console's records to <strong>{setup.host}</strong> as{' '}
            <span className="id">{setup.login}</span> (credential kept{' '}
            {setup.storage === 'keychain'
              ? "in the system's keychain"
              : 'in a file only you can read'}
            ).
          </p>
          <p className="muted" role="status">
            {setup.status?.text ?? `${setup.waiting} changes waiting`}
          </p>
          <button onClick={() => void call('DELETE').catch((err: Error) => setError(err.message))}>
            Disconnect
          </button>
        </>
      ) : (
        <form className="controls" onSubmit={enrol}>
          <label htmlFor="records-server-url">Enrolment line</label>
          <input
            id="records-server-url"
            type="password"
            autoComplete="off"
            placeholder="postgres://muster_c_…@records.academy.local/muster"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <button className="primary" type="submit" disabled={!url.trim()}>
            Connect
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
