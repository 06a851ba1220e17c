// The expert workbench's screens and their paths.
import type { RouteDef } from '../../app/route-def';
import { Credentials } from './Credentials';
import { ExamAttempt } from './ExamAttempt';
import { Exams } from './Exams';
import { Gradings } from './Gradings';
import { Earnings } from './Earnings';
import { History } from './History';
import { MyAnswers } from './MyAnswers';
import { ReviewQueue } from './ReviewQueue';
import { ReworkScreen } from './ReworkScreen';
import { ProfileScreen } from './Profile';
import { TermsScreen } from './TermsScreen';
import { Workbench } from './Workbench';
import { WorkProjects } from './WorkProjects';

export const EXPERT_ROUTES: RouteDef[] = [
  { pattern: '/work', roles: ['expert'], title: 'Work', view: ({ me }) => <WorkProjects me={me} /> },
  { pattern: '/work/history', roles: ['expert'], title: 'Past work', view: () => <History /> },
  { pattern: '/work/profile', roles: ['expert'], title: 'Profile', view: () => <ProfileScreen /> },
  { pattern: '/work/credentials', roles: ['expert'], title: 'Credentials', view: () => <Credentials /> },
  { pattern: '/work/exams', roles: ['expert'], title: 'Exams', view: () => <Exams /> },
  {
    pattern: '/work/exams/attempts/:attemptId',
    roles: ['expert'],
    title: 'Exam',
    view: ({ params }) => <ExamAttempt attemptId={params.attemptId!} />,
  },
  { pattern: '/work/gradings', roles: ['expert'], title: 'Exam grading', view: () => <Gradings /> },
  { pattern: '/work/review', roles: ['expert'], title: 'Review', view: () => <ReviewQueue /> },
  { pattern: '/work/answers', roles: ['expert'], title: 'Your answers', view: () => <MyAnswers /> },
  {
    pattern: '/work/rework/:submissionId',
    roles: ['expert'],
    title: 'Revise an answer',
    view: ({ params }) => <ReworkScreen submissionId={params.submissionId!} />,
  },
  { pattern: '/work/earnings', roles: ['expert'], title: 'Earnings and time', view: () => <Earnings /> },
  { pattern: '/work/:projectId/terms', roles: ['expert'], title: 'Terms', view: ({ params }) => <TermsScreen projectId={params.projectId!} /> },
  { pattern: '/work/:projectId', roles: ['expert'], title: 'Workbench', view: ({ params }) => <Workbench projectId={params.projectId!} /> },
];
