/** Group commit (group-commit.ts): who shares a transaction, and when a group starts. */
import { GroupCommit, type Outcome } from '../../server/store/group-commit';

/** A runner whose groups finish when the test says, recording what each group held. */
function heldRunner() {
  const groups: string[][] = [];
  const release: (() => void)[] = [];
  const run = (_key: string, jobs: string[]) =>
    new Promise<Outcome<string>[]>((resolve) => {
      groups.push(jobs);
      release.push(() => resolve(jobs.map((job) => ({ ok: job.toUpperCase() }))));
    });
  return { run, groups, release };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GroupCommit', () => {
  it('starts a job at an idle key on the next turn, without waiting to collect others', async () => {
    const { run, groups, release } = heldRunner();
    const commits = new GroupCommit(run, 64, 10_000);
    const a = commits.submit('tr1', 'a');
    await turn();
    expect(groups).toEqual([['a']]);
    release[0]();
    await expect(a).resolves.toBe('A');
  });

  it('while busy, lets the next group wait its window so that later jobs join it', async () => {
    const { run, groups, release } = heldRunner();
    const commits = new GroupCommit(run, 64, 200);
    const answers = [commits.submit('tr1', 'a')];
    await turn();
    answers.push(commits.submit('tr1', 'b'));
    release[0]();
    // Within the window: c joins b's group rather than waiting for a group of its own.
    await sleep(20);
    expect(groups).toEqual([['a']]);
    answers.push(commits.submit('tr1', 'c'));
    while (groups.length < 2) await sleep(10);
    expect(groups).toEqual([['a'], ['b', 'c']]);
    release[1]();
    await expect(Promise.all(answers)).resolves.toEqual(['A', 'B', 'C']);
  });

  it('without a window, runs what waits as soon as the group before it ends', async () => {
    const { run, groups, release } = heldRunner();
    const commits = new GroupCommit(run, 64);
    const answers = [commits.submit('tr1', 'a')];
    await turn();
    answers.push(commits.submit('tr1', 'b'));
    release[0]();
    while (groups.length < 2) await turn();
    answers.push(commits.submit('tr1', 'c'));
    expect(groups).toEqual([['a'], ['b']]);
    release[1]();
    while (groups.length < 3) await turn();
    release[2]();
    await expect(Promise.all(answers)).resolves.toEqual(['A', 'B', 'C']);
  });
});
