import type { DepartmentGaps } from '../../shared/department-gaps';

interface Props {
  gaps: DepartmentGaps;
  onExport: () => void;
}

const share = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The Department gaps report for command staff: the anonymous gap audit of Module 4, as totals
 * (most-missing first). An agency appears on its own only with enough respondents.
 */
export function DepartmentGapsReport({ gaps, onExport }: Props) {
  return (
    <section className="department-gaps" aria-labelledby="department-gaps-h">
      <div className="controls">
        <h3 id="department-gaps-h">Department gaps</h3>
        <button disabled={!gaps.items.length} onClick={onExport}>
          Export department gaps
        </button>
      </div>
      {gaps.items.length === 0 ? (
        <p className="muted">No class in this range took the department gap audit (Module 4).</p>
      ) : (
        <>
          <p className="muted">
            {gaps.sessions} session{gaps.sessions === 1 ? '' : 's'} · {gaps.respondents} respondent
            {gaps.respondents === 1 ? '' : 's'} · anonymous totals; an agency is listed on its own
            with at least {gaps.minGroup} respondents · most-missing first
          </p>
          <table className="records-table compact">
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col" className="num">
                  Yes
                </th>
                <th scope="col" className="num">
                  No
                </th>
                <th scope="col" className="num">
                  Don&apos;t know
                </th>
                <th scope="col" className="num">
                  Gap
                </th>
              </tr>
            </thead>
            <tbody>
              {gaps.items.map((it) => (
                <tr key={it.questionId} className={it.gapShare >= 0.5 ? 'gap' : undefined}>
                  <td>
                    {it.prompt}
                    {it.byAgency.length > 0 && (
                      <ul className="gap-agencies">
                        {it.byAgency.map((a) => (
                          <li key={a.agency}>
                            {a.agency}: {share(a.gapShare)} of {a.respondents}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="num">{it.yes}</td>
                  <td className="num">{it.no}</td>
                  <td className="num">{it.unknown}</td>
                  <td className="num">{share(it.gapShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
