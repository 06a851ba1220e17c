// The lab console's screens as route views; loaded on first use (app/lazy.tsx).
import type { ViewProps } from '../../app/route-def';
import { InvoiceDetail } from '../../pay/InvoiceDetail';
import { ItemDetail } from './ItemDetail';
import { LabSpend } from './LabSpend';
import { LabProjects } from './LabProjects';
import { Members } from './Members';
import { NewProject } from './NewProject';
import { ProjectFrame } from './ProjectFrame';
import { ProjectItems } from './ProjectItems';
import { ProjectOverview } from './ProjectOverview';
import { ProjectPayTab } from './ProjectPayTab';
import { ProjectQuality } from './ProjectQuality';
import { ProjectRequirements } from './ProjectRequirements';
import { ProjectReview } from './ProjectReview';
import { ProjectWorkforce } from './ProjectWorkforce';

export const projects = () => <LabProjects />;
export const newProject = () => <NewProject />;
export const overview = ({ params }: ViewProps) => (
  <ProjectFrame id={params.id!}>{(p, reload) => <ProjectOverview project={p} reload={reload} />}</ProjectFrame>
);
export const quality = ({ params }: ViewProps) => <ProjectFrame id={params.id!}>{(p) => <ProjectQuality project={p} />}</ProjectFrame>;
export const items = ({ params }: ViewProps) => <ProjectFrame id={params.id!}>{(p) => <ProjectItems project={p} />}</ProjectFrame>;
export const members = ({ me }: ViewProps) => <Members me={me} />;
export const item = ({ params }: ViewProps) => (
  <ProjectFrame id={params.id!}>{(p) => <ItemDetail project={p} itemId={params.itemId!} />}</ProjectFrame>
);
export const workforce = ({ params }: ViewProps) => <ProjectFrame id={params.id!}>{(p) => <ProjectWorkforce project={p} />}</ProjectFrame>;
export const requirements = ({ params }: ViewProps) => (
  <ProjectFrame id={params.id!}>{(p, reload) => <ProjectRequirements project={p} reload={reload} />}</ProjectFrame>
);
export const review = ({ params, me }: ViewProps) => (
  <ProjectFrame id={params.id!}>{(p) => <ProjectReview project={p} canEdit={me.role === 'owner'} />}</ProjectFrame>
);
export const pay = ({ params, me }: ViewProps) => (
  <ProjectFrame id={params.id!}>{(p) => <ProjectPayTab project={p} canEdit={me.role === 'owner'} />}</ProjectFrame>
);
export const spend = () => <LabSpend />;
export const invoice = ({ params }: ViewProps) => <InvoiceDetail id={params.invoiceId!} back={{ href: '/lab/spend', label: 'Spend' }} />;
