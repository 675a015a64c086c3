import { CopyTextButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  // A small icon beside the text it copies, not a toolbar-sized one.
  root: {
    display: 'inline-flex',
    verticalAlign: 'middle',
    '& svg': { width: 16, height: 16 },
  },
});

/** `CopyTextButton`, sized for a line of text. */
export function CopyButton(props: {
  text: string;
  tooltipText: string;
  ariaLabel: string;
}) {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <CopyTextButton
        text={props.text}
        tooltipText={props.tooltipText}
        aria-label={props.ariaLabel}
        variant="tertiary"
      />
    </span>
  );
}
