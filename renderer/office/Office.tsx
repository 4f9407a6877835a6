import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Records } from '../console/Records';

/**
 * The records office: Muster's Records view over the academy records server (every room, every
 * year), behind a sign-in with a records staff login. The server keeps the session in a cookie.
 */
export function Office() {
  const [user, setUser] = useState<string | null | undefined>(undefined);
  const [rooms, setRooms] = useState<string[]>([]);
  const [room, setRoom] = useState('');

  useEffect(() => {
    fetch('/api/me')
      .then(async (r) => (r.ok ? ((await r.json()) as { user: string }).user : null))
      .then(setUser, () => setUser(null));
  }, []);
  useEffect(() => {
    if (!user) return;
    fetch('/api/records/rooms')
      .then(async (r) => (r.ok ? ((await r.json()) as string[]) : []))
      .then(setRooms, () => setRooms([]));
  }, [user]);

  if (user === undefined) return <p className="muted office-login">Loading…</p>;
  if (user === null) return <SignIn onDone={setUser} />;
  const signOut = () => void fetch('/api/logout', { method: 'POST' }).then(() => setUser(null));
  return (
    <>
      <header className="office-header">
        <h1>Muster records office</h1>
        <label>
          Room{' '}
          <select value={room} onChange={(e) => setRoom(e.target.value)}>
            <option value="">All rooms</option>
            {rooms.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">Signed in as {user}</span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <Records token="" office={{ room }} />
    </>
  );
}

function SignIn({ onDone }: { onDone: (user: string) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError('');
    fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: name.trim(), password }),
    })
      .then(async (r) => {
        if (!r.ok) throw new Error((await r.text()) || `HTTP ${r.status}`);
        onDone(((await r.json()) as { user: string }).user);
      })
      .catch((err: Error) => setError(err.message));
  };
  return (
    <main>
      <form className="panel office-login" onSubmit={submit} aria-labelledby="office-h">
        <h1 id="office-h">Muster records office</h1>
        <p className="muted">Sign in with your records staff login.</p>
        <label>
          User name{' '}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="username"
            required
          />
        </label>
        <label>
          Password{' '}
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit">
          Sign in
        </button>
      </form>
    </main>
  );
}
