// A project's Review tab: the summary of the review so far, the policy that decides what is
// reviewed, and the form reviewers score answers on.
import type { LabProject } from '../../api/lab';
import { reviewApi } from '../../api/review';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { ReviewFormCard } from './ReviewFormCard';
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
        {(p) => (
          <>
            <ReviewPolicyForm projectId={project.id} current={p} canEdit={canEdit} onSaved={reloadSummary} />
            <ReviewFormCard project={project} initial={p.form} canEdit={canEdit} />
          </>
        )}
      </Loaded>
    </div>
  );
}
