// The lab console's screens as route views; loaded on first use (app/lazy.tsx).
import type { ViewProps } from '../../app/route-def';
import { ItemDetail } from './ItemDetail';
import { LabProjects } from './LabProjects';
import { Members } from './Members';
import { NewProject } from './NewProject';
import { ProjectFrame } from './ProjectFrame';
import { ProjectItems } from './ProjectItems';
import { ProjectOverview } from './ProjectOverview';
import { ProjectQuality } from './ProjectQuality';
import { ProjectRequirements } from './ProjectRequirements';
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
