// A project's Review tab: the policy that decides what is reviewed, and the summary of the
// review so far.
import type { LabProject } from '../../api/lab';
import { reviewApi } from '../../api/review';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { ReviewPolicyForm } from './ReviewPolicyForm';
import { ReviewSummaryCard } from './ReviewSummaryCard';

export function ProjectReview({ project, canEdit }: { project: LabProject; canEdit: boolean }) {
  const [policy, reloadPolicy] = useResource((signal) => reviewApi.policy(project.id, signal), [project.id]);
  const [summary, reloadSummary] = useResource((signal) => reviewApi.summary(project.id, signal), [project.id]);
  return (
    <div class="stack">
      <Loaded resource={summary} onRetry={reloadSummary}>
        {(s) => <ReviewSummaryCard summary={s} />}
      </Loaded>
      <Loaded resource={policy} onRetry={reloadPolicy}>
        {(p) => <ReviewPolicyForm projectId={project.id} current={p} canEdit={canEdit} onSaved={reloadSummary} />}
      </Loaded>
    </div>
  );
}
