import { describe, expect, it } from 'vitest';
import { projectDeployment, projectPdb } from '../../../../adapters/kubernetes/projection/workload';
import { formatSelector } from '../../../../core/selector';
import { aksDeployment, aksPdb } from '../../../builders/aks';

describe('projectPdb and projectDeployment', () => {
  it('reads a null PDB selector as none (protects no pod)', () => {
    expect(projectPdb(aksPdb('x', { matchLabels: null })).selector).toBeUndefined();
  });

  it('reads an empty PDB selector as every pod of the namespace', () => {
    const selector = projectPdb(aksPdb('x', {}, (p) => (p.spec.selector = {}))).selector;
    expect(selector).toEqual({ requirements: [] });
  });

  it('reads matchExpressions', () => {
    const view = projectPdb(aksPdb('x', { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }));
    expect(formatSelector(view.selector!)).toBe('app in (a,b)');
  });

  it('allows no disruption until the controller has counted', () => {
    expect(projectPdb(aksPdb('x', {}, (p) => delete (p as { status?: unknown }).status)).disruptionsAllowed).toBe(0);
  });

  it('defaults absent replicas to 1 and absent readyReplicas to 0', () => {
    const view = projectDeployment(aksDeployment('bg', { readyReplicas: 0 }, (d) => delete d.spec.replicas));
    expect(view).toMatchObject({ replicas: 1, readyReplicas: 0 });
  });

  it('reads a Deployment scaled to zero', () => {
    expect(projectDeployment(aksDeployment('bg', { replicas: 0 }))).toMatchObject({ replicas: 0, readyReplicas: 0 });
  });
});
