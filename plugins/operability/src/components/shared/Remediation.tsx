import { MarkdownContent } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  // Sized as the caption or body text around it, without the paragraph gaps.
  root: {
    fontSize: 'inherit',
    color: 'inherit',
    '& p': { margin: 0, fontSize: 'inherit' },
    '& p + p, & ul, & ol': { marginTop: theme.spacing(0.5) },
  },
}));

/**
 * A check's fix, written in Markdown in the rubric: links (to a runbook
 * template, a guide) work, `code` is code.
 */
export function Remediation(props: { text: string }) {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <MarkdownContent content={props.text} dialect="gfm" linkTarget="_blank" />
    </div>
  );
}
